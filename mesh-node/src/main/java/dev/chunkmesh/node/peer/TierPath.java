package dev.chunkmesh.node.peer;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request of a lower tier to this node, parsed from its raw URI:
 * {@code /tier[/access][/ns/<host>]/v2/…}. {@code registryUri} is the {@code /v2/…} rest, query included,
 * as the registry mirror parses it; {@code access} asks for the origin's answer to a client's own
 * credentials instead of content; {@code ns} is the upstream host a runtime named ({@code ?ns=}).
 */
public record TierPath(boolean access, Optional<String> ns, String registryUri) {
    public static final String PREFIX = "/tier";
    /** Where a node of the upper tier serves the complete recipes it holds: {@code /tier/recipes/{blob}}. */
    public static final String RECIPES = PREFIX + "/recipes/";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

    /** The path parsed, or {@link IllegalArgumentException} for anything else. */
    public static TierPath parse(String rawUri) {
        if (!rawUri.startsWith(PREFIX + "/")) {
            throw new IllegalArgumentException("not a tier path: " + rawUri);
        }
        String rest = rawUri.substring(PREFIX.length());
        boolean access = rest.startsWith("/access/");
        if (access) {
            rest = rest.substring("/access".length());
        }
        Optional<String> ns = Optional.empty();
        if (rest.startsWith("/ns/")) {
            int end = rest.indexOf('/', 4);
            if (end < 0 || !HOST.matcher(rest.substring(4, end)).matches()) {
                throw new IllegalArgumentException("a tier path names its upstream as /ns/<host>/: " + rawUri);
            }
            ns = Optional.of(rest.substring(4, end));
            rest = rest.substring(end);
        }
        if (!rest.startsWith("/v2/") && !rest.equals("/v2")) {
            throw new IllegalArgumentException("a tier path goes on with /v2/: " + rawUri);
        }
        return new TierPath(access, ns, rest);
    }

    /** The URI prefix that a lower tier puts before {@code /v2/…} for {@code ns} (empty: the default upstream). */
    public static String prefix(boolean access, Optional<String> ns) {
        if (ns.isPresent() && !HOST.matcher(ns.get()).matches()) {
            throw new IllegalArgumentException("not an upstream host name: " + ns.get());
        }
        return PREFIX + (access ? "/access" : "") + ns.map(h -> "/ns/" + h).orElse("");
    }
}

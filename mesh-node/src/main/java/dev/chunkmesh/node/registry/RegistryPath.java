package dev.chunkmesh.node.registry;

import dev.chunkmesh.store.Digest;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request path of the registry API, parsed from the raw (undecoded) request URI so that encoded
 * slashes and dot segments are refused rather than decoded into something else. Names follow the
 * distribution spec's grammar; references are tags or {@code sha256} digests.
 */
public sealed interface RegistryPath {

    /** {@code /v2/} */
    record Base() implements RegistryPath {}

    /** {@code /v2/<name>/manifests/<tag or digest>} */
    record Manifest(String name, String reference) implements RegistryPath {
        public boolean byDigest() {
            return reference.startsWith(Digest.PREFIX);
        }
    }

    /** {@code /v2/<name>/blobs/<digest>} */
    record Blob(String name, Digest digest) implements RegistryPath {}

    int MAX_NAME = 255;
    Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    Pattern SHAPE = Pattern.compile("/v2/(.+)/(manifests|blobs)/([^/]+)");

    /** The path of {@code rawUri} (query ignored), or the registry error that refuses it. */
    static RegistryPath parse(String rawUri) {
        String path = rawUri;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.indexOf('%') >= 0 && path.toLowerCase(Locale.ROOT).matches(".*%(2f|5c|2e|00).*")) {
            throw RegistryError.nameInvalid("encoded slashes, backslashes, dots and NULs are not allowed in paths");
        }
        if (path.equals("/v2/") || path.equals("/v2")) {
            return new Base();
        }
        Matcher m = SHAPE.matcher(path);
        if (!m.matches()) {
            throw new RegistryError(404, "NAME_UNKNOWN", "not a registry API path: " + abbreviate(path));
        }
        String name = m.group(1);
        if (name.length() > MAX_NAME) {
            throw RegistryError.nameInvalid("repository name longer than " + MAX_NAME + " characters");
        }
        for (String component : name.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw RegistryError.nameInvalid("invalid repository name '" + abbreviate(name) + "': each part must match "
                        + COMPONENT.pattern());
            }
        }
        String ref = m.group(3);
        if (m.group(2).equals("blobs")) {
            return new Blob(name, digest(ref));
        }
        if (ref.contains(":")) {
            return new Manifest(name, digest(ref).toString());
        }
        if (!TAG.matcher(ref).matches()) {
            throw new RegistryError(400, "TAG_INVALID", "invalid tag '" + abbreviate(ref) + "'");
        }
        return new Manifest(name, ref);
    }

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RegistryError(400, "DIGEST_INVALID", "only sha256 digests are served: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}

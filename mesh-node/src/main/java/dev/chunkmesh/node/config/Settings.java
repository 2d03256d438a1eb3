package dev.chunkmesh.node.config;

import dev.chunkmesh.store.ByteSize;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting's text as the sources left it (defaults from {@link ConfigKeys} included) with where it
 * came from, read by type. Every refusal becomes a {@link ConfigException} naming the key and its source.
 */
final class Settings {

    /** A setting's text as given, and where it came from ({@code default}, a file, a variable, {@code flag}). */
    record Value(String text, String source) {}

    private final Map<String, Value> values;
    private final Map<String, String> environment;

    /**
     * @param values every key of {@link ConfigKeys#ALL}
     * @param environment the process environment, for the variables a setting names (upstream passwords)
     */
    Settings(Map<String, Value> values, Map<String, String> environment) {
        this.values = values;
        this.environment = environment;
    }

    /** The named environment variable, if set. */
    Optional<String> environment(String name) {
        return Optional.ofNullable(environment.get(name));
    }

    /** Where a key's value came from. */
    String source(String key) {
        return values.get(key).source();
    }

    /** A refusal of a key's value, naming the key and its source. */
    ConfigException refuse(String key, String message) {
        return new ConfigException(key + " (" + source(key) + "): " + message);
    }

    String text(String key) {
        return values.get(key).text().strip();
    }

    /** The text, or empty when none is given. */
    Optional<String> optional(String key) {
        String t = text(key);
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /** Comma-separated items, stripped, empty ones dropped. */
    List<String> list(String key) {
        return optional(key).map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList()).orElse(List.of());
    }

    /** Parses a key's value (or, for a section, builds it), turning any refusal into a message naming the key and its source. */
    <T> T get(String key, Function<String, T> parse) {
        Value v = values.get(key);
        String source = v == null ? "settings" : v.source();
        try {
            return parse.apply(v == null ? null : v.text().strip());
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(key + " (" + source + "): " + e.getMessage());
        }
    }

    boolean bool(String key) {
        return get(key, t -> switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + t + "' is not true or false");
        });
    }

    int port(String key) {
        int p = integer(key);
        if (p < 0 || p > 65535) {
            throw refuse(key, "a port is 0-65535, got " + p);
        }
        return p;
    }

    int integer(String key) {
        return get(key, t -> {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a whole number");
            }
        });
    }

    long size(String key) {
        return get(key, t -> ByteSize.parse(t).bytes());
    }

    Duration duration(String key) {
        return get(key, Settings::parseDuration);
    }

    /** An http:// or https:// URL, if one is given. */
    Optional<URI> url(String key) {
        return optional(key).map(u -> get(key, Settings::parseUrl));
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    static Duration parseDuration(String t) {
        String s = t.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + t + "' is not a duration such as 500ms, 5s, 2m or 1h");
        }
        long n = Long.parseLong(s.substring(0, i));
        return switch (s.substring(i).strip()) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("'" + t + "' has an unknown unit: use ms, s, m or h");
        };
    }

    /**
     * A duration as {@link #parseDuration} reads it back: whole hours or minutes from two of them up
     * ({@code 5m}), seconds below that ({@code 60s}), milliseconds when not whole seconds.
     */
    static String durationText(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 120 || s % 60 != 0) {
            return s + "s";
        }
        long m = s / 60;
        return m < 120 || m % 60 != 0 ? m + "m" : m / 60 + "h";
    }

    /** A size as {@link ByteSize#parse} reads it back: in the largest of KiB, MiB, GiB, TiB that holds it whole ({@code 16MiB}). */
    static String sizeText(long bytes) {
        String[] units = {"", "KiB", "MiB", "GiB", "TiB"};
        long n = bytes;
        int u = 0;
        while (n != 0 && n % 1024 == 0 && u < units.length - 1) {
            n /= 1024;
            u++;
        }
        return n + units[u];
    }

    /** An http:// or https:// URL with a host. */
    static URI parseUrl(String t) {
        URI u = URI.create(t);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + t + "' is not an http:// or https:// URL");
        }
        return u;
    }

    /** {@code host=value}: the host in lower case and the value, both stripped. */
    static String[] pair(String key, String entry) {
        int eq = entry.indexOf('=');
        if (eq < 1 || eq == entry.length() - 1) {
            throw new ConfigException(key + ": '" + entry + "' must be host=value");
        }
        return new String[] {entry.substring(0, eq).strip().toLowerCase(Locale.ROOT), entry.substring(eq + 1).strip()};
    }
}

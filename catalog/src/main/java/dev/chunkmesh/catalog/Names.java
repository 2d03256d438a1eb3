package dev.chunkmesh.catalog;

import java.util.regex.Pattern;

/** The OCI distribution grammar for repository names and tags. */
public final class Names {
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private Names() {
    }

    /** @throws IllegalArgumentException unless {@code name} is a valid repository name of at most 255 characters */
    public static String requireRepository(String name) {
        if (name == null || name.length() > 255 || !REPOSITORY.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid repository name (lowercase components"
                    + " separated by '/', each of [a-z0-9] joined by '.', '_', '__' or '-')");
        }
        return name;
    }

    /** @throws IllegalArgumentException unless {@code tag} is a valid tag */
    public static String requireTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not a valid tag ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})");
        }
        return tag;
    }
}

package dev.chunkmesh.gossip;

import java.util.regex.Pattern;

final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Names() {
    }

    static void require(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' must be 1-63 of a-z, 0-9 and '-', starting with a letter or digit");
        }
    }
}

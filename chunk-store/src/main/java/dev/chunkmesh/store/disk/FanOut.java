package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.Digest;
import java.nio.file.Path;

/** Where a chunk's file lives: {@code root/ab/12/ab12…} for digest {@code sha256:ab12…}. */
record FanOut(Path root) {

    Path pathOf(Digest digest) {
        String hex = digest.hex();
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    /** The digest a file at {@code level1/level2/name} stands for, or null if the name is not a chunk's. */
    static Digest digestOf(String level1, String level2, String name) {
        if (name.length() != 64 || !name.startsWith(level1) || !name.startsWith(level2, 2)) {
            return null;
        }
        try {
            return Digest.parse(Digest.PREFIX + name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

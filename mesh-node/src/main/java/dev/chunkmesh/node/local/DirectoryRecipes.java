package dev.chunkmesh.node.local;

import dev.chunkmesh.catalog.RecipeJson;
import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.DeviceFullException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The recipes a node keeps on its own disk, one canonical JSON file per blob
 * ({@code <dir>/<hex>.json}), written to a temp file and renamed so a crash never leaves half a
 * recipe. A file that does not parse, or names another blob, is deleted and treated as absent. The
 * recipes read last are kept parsed in memory (up to {@value #CACHED_CHUNKS} chunks in all), as long as
 * their file is there.
 */
public final class DirectoryRecipes implements Recipes {
    /** Parsed recipes kept in memory, at most this many chunks in all (a recipe never changes for its blob). */
    static final int CACHED_CHUNKS = 65_536;
    private static final Logger LOG = Logger.getLogger(DirectoryRecipes.class.getName());
    private final Path dir;
    private final LinkedHashMap<Digest, Recipe> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedChunks;

    public DirectoryRecipes(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("create recipe folder " + dir, e);
        }
    }

    @Override
    public Optional<Recipe> find(Digest blob) {
        synchronized (cache) {
            Recipe cached = cache.get(blob);
            if (cached != null) {
                if (Files.exists(dir.resolve(blob.hex() + ".json"))) {
                    return Optional.of(cached);
                }
                uncache(blob);
            }
        }
        Optional<Recipe> read = read(blob);
        read.ifPresent(this::cache);
        return read;
    }

    private void cache(Recipe r) {
        synchronized (cache) {
            if (cache.put(r.blob(), r) == null) {
                cachedChunks += r.chunks().size();
            }
            var it = cache.entrySet().iterator();
            while (cachedChunks > CACHED_CHUNKS && it.hasNext()) {
                cachedChunks -= it.next().getValue().chunks().size();
                it.remove();
            }
        }
    }

    private void uncache(Digest blob) {
        synchronized (cache) {
            Recipe r = cache.remove(blob);
            if (r != null) {
                cachedChunks -= r.chunks().size();
            }
        }
    }

    private Optional<Recipe> read(Digest blob) {
        Path file = dir.resolve(blob.hex() + ".json");
        try {
            Recipe r = RecipeJson.parse(Files.readAllBytes(file));
            if (r.blob().equals(blob)) {
                return Optional.of(r);
            }
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read recipe " + file, e);
        } catch (RuntimeException unreadable) {
            // dropped below
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // absent either way
        }
        return Optional.empty();
    }

    /**
     * Writes the recipe's file. On a full device (another program filled it, or the store took the last of
     * it) the recipe is left out, with a warning, and nothing half-written stays: the blob's chunks are in
     * the store whatever happens to this small file, the POP's recipe still names them, and the next pull
     * of the blob writes it again. Any other failure to write throws {@link ChunkStoreException}.
     */
    @Override
    public void publish(Recipe recipe) {
        Path file = dir.resolve(recipe.blob().hex() + ".json");
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, ".recipe", ".tmp");
            Files.write(temp, RecipeJson.toBytes(recipe));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            if (DeviceFullException.isDeviceFull(e)) {
                LOG.warning("recipe of " + recipe.blob() + " not kept in " + dir + ": the device is full (" + e.getMessage()
                        + "); its chunks stay in the store and the next pull of the blob writes it");
                return;
            }
            throw new ChunkStoreException("write recipe " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stray temp file is skipped when recipes are listed, and never read as a recipe
            }
        }
    }

    @Override
    public boolean has(Digest blob) {
        return Files.exists(dir.resolve(blob.hex() + ".json"));
    }

    @Override
    public void forget(Digest blob) {
        uncache(blob);
        Path file = dir.resolve(blob.hex() + ".json");
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ChunkStoreException("delete recipe " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every blob with a readable recipe here; stray temp files are removed. */
    public List<Digest> blobs() {
        List<Digest> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                } else if (name.endsWith(".json")) {
                    try {
                        out.add(Digest.parse(Digest.PREFIX + name.substring(0, name.length() - 5)));
                    } catch (IllegalArgumentException stray) {
                        // not ours
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list recipes in " + dir, e);
        }
        return out;
    }
}

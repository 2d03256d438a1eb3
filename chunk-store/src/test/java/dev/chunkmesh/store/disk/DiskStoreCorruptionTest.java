package dev.chunkmesh.store.disk;

import static dev.chunkmesh.store.disk.DiskStoreFixture.flip;
import static dev.chunkmesh.store.disk.DiskStoreFixture.flipMidFrame;
import static dev.chunkmesh.store.disk.DiskStoreFixture.openAt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged record on disk is found when read or verified, moved aside, and never served. */
class DiskStoreCorruptionTest {

    @TempDir
    Path dir;

    @Test
    void aCorruptRecordIsNamedMovedAsideAndNeverServed() throws IOException {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = openAt(root)) {
            byte[] raw = TestData.splitMix(2, 50_000);
            Digest d = store.put(raw);
            flipMidFrame(store, d);

            ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> store.get(d));
            assertEquals(d, e.expected());
            assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("CRC32C"), e.getMessage());
            assertFalse(store.has(d));
            assertMovedAside(root, d);
            assertEquals(1, store.stats().corruptFound());
            assertThrows(ChunkStoreException.class, () -> store.getFrame(d));

            store.put(raw);
            assertArrayEquals(raw, store.get(d), "a good copy can replace the corrupt one");
        }
    }

    @Test
    void verifyingACorruptRecordMovesItAsideAndSaysTheChunkIsNotHeld() throws IOException {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = openAt(root)) {
            byte[] raw = TestData.splitMix(4, 60_000);
            Digest d = store.put(raw);
            Digest good = store.put(TestData.compressible(5, 60_000));
            flipMidFrame(store, d);

            assertFalse(store.verify(d));
            assertFalse(store.has(d));
            assertEquals(1, store.stats().corruptFound());
            assertMovedAside(root, d);
            assertTrue(store.verify(good), "its neighbour is untouched");
            store.put(raw);
            assertTrue(store.verify(d), "a good copy put again verifies");
        }
    }

    @Test
    void aDamagedHeaderIsCorruptNotServed() throws IOException {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            Digest d = store.put(TestData.compressible(3, 40_000));
            DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
            flip(at.file(), at.offset() - Record.HEADER + 5);
            assertThrows(ChunkCorruptException.class, () -> store.getFrame(d));
            assertFalse(store.has(d));
        }
    }

    @Test
    void aDamagedFrameIsNotServedAsAView() throws IOException {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            Digest d = store.put(TestData.splitMix(4, 40_000));
            DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
            flip(at.file(), at.offset() + 1000);
            assertThrows(ChunkCorruptException.class, () -> store.getFrameBuffer(d));
            assertFalse(store.has(d));
        }
    }

    private static void assertMovedAside(Path root, Digest d) throws IOException {
        try (Stream<Path> aside = Files.list(root.resolve("corrupt"))) {
            assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith(d.hex())).count(), d + " is in corrupt/");
        }
    }
}

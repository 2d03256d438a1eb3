package dev.chunkmesh.node.registry;

import dev.chunkmesh.node.pull.BlobProgress;
import dev.chunkmesh.store.ChunkRef;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A streamer's feed from a pull in progress: chunks as the pull stores them, and the checked raw bytes
 * the pull still has in hand, so the streamer need not read back what just arrived. Attached as a
 * reader of the pull's progress from creation until released.
 */
final class PullFeed implements BlobStreamer.Feed {
    private final BlobProgress progress;
    private boolean released;

    PullFeed(BlobProgress progress) {
        this.progress = progress;
        progress.attachReader();
    }

    @Override
    public CompletableFuture<Optional<ChunkRef>> whenStored(int index) {
        return progress.whenStored(index);
    }

    @Override
    public Optional<ByteBuffer> takeRecent(int index) {
        return progress.takeRecent(index);
    }

    @Override
    public synchronized void release() {
        if (!released) {
            released = true;
            progress.detachReader();
        }
    }
}

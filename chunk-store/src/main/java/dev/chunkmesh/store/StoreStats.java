package dev.chunkmesh.store;

/**
 * A snapshot of a store's counters.
 *
 * @param chunks chunks held
 * @param usedBytes bytes those chunks take in the store (frames, not raw bytes)
 * @param capacityBytes the configured limit
 * @param pinned chunks currently pinned by in-flight blobs
 * @param evictions chunks evicted since the store was opened
 * @param corruptFound corrupt chunks found (and moved aside) since the store was opened
 */
public record StoreStats(long chunks, long usedBytes, long capacityBytes, long pinned, long evictions,
                         long corruptFound) {}

package dev.chunkmesh.gossip.pull;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a {@link PullMachine} keeps.
 *
 * @param peerBatch chunks asked of a peer in one request
 * @param peerWindow requests in flight to one peer at a time; a peer's window is refilled as each answer lands
 * @param originWindow Range requests in flight to the origin at a time (per pull)
 * @param maxRequests peer requests in flight at a time for the whole pull, over all peers
 * @param maxOriginRangeBytes adjacent origin chunks are joined into one Range request up to this size
 * @param requestTimeout a peer request unanswered for this long counts as failed and its peer is left out
 * @param stallTimeout a pull that stores nothing for this long gives up; also bounds origin requests
 * @param leaseRetry how long a chunk whose single-flight lease another node holds waits before asking again
 * @param advertiseInterval stored chunks are advertised to the POP at most this long after they are stored
 * @param originAttempts consecutive failed origin requests after which the pull gives up
 * @param uploadSlots requests a peer serves at once; a holder whose reported load reaches this is not asked
 *     (its claims still count, so what only it holds waits for it rather than going to the origin)
 * @param busyBackoff a peer that answered busy (all its upload slots taken) is not asked again for this long
 */
public record PullRules(int peerBatch, int peerWindow, int originWindow, int maxRequests, long maxOriginRangeBytes, Duration requestTimeout,
                        Duration stallTimeout, Duration leaseRetry, Duration advertiseInterval, int originAttempts, int uploadSlots,
                        Duration busyBackoff) {
    /** Upload slots of a peer when none are configured: 8, as a node's {@code pull.upload-slots} default. */
    public static final int DEFAULT_UPLOAD_SLOTS = 8;
    /** How long a peer whose request failed (an error, not a wrong or missing chunk) rests the first time: 1 s. */
    public static final Duration FAILURE_COOL_OFF = Duration.ofSeconds(1);
    /** How long a busy peer rests when nothing else is configured: 100 ms. */
    public static final Duration DEFAULT_BUSY_BACKOFF = Duration.ofMillis(100);

    public PullRules {
        if (peerBatch < 1 || peerWindow < 1 || originWindow < 1 || maxRequests < 1 || maxOriginRangeBytes < 1 || originAttempts < 1
                || uploadSlots < 1) {
            throw new IllegalArgumentException("batch, windows, request limit, range size, origin attempts and upload slots must be >= 1");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(leaseRetry, "leaseRetry");
        Objects.requireNonNull(advertiseInterval, "advertiseInterval");
        Objects.requireNonNull(busyBackoff, "busyBackoff");
    }

    /** Rules with peers of {@link #DEFAULT_UPLOAD_SLOTS} upload slots resting {@link #DEFAULT_BUSY_BACKOFF} after a busy answer. */
    public PullRules(int peerBatch, int peerWindow, int originWindow, int maxRequests, long maxOriginRangeBytes, Duration requestTimeout,
                     Duration stallTimeout, Duration leaseRetry, Duration advertiseInterval, int originAttempts) {
        this(peerBatch, peerWindow, originWindow, maxRequests, maxOriginRangeBytes, requestTimeout, stallTimeout, leaseRetry, advertiseInterval,
                originAttempts, DEFAULT_UPLOAD_SLOTS, DEFAULT_BUSY_BACKOFF);
    }

    /** These rules with peers of {@code slots} upload slots, each resting {@code backoff} after a busy answer. */
    public PullRules withUploadSlots(int slots, Duration backoff) {
        return new PullRules(peerBatch, peerWindow, originWindow, maxRequests, maxOriginRangeBytes, requestTimeout, stallTimeout, leaseRetry,
                advertiseInterval, originAttempts, slots, backoff);
    }

    /**
     * Batches of 16 chunks, 4 in flight per peer and 16 in all, 4 origin ranges of up to 16 MiB, peers dropped after 15 s
     * without an answer, pulls stalled after 60 s, leases asked again every 200 ms, advertisements within
     * 50 ms, 3 origin failures in a row tolerated, peers of 8 upload slots, a busy peer asked again after 100 ms.
     */
    public static PullRules defaults() {
        return new PullRules(16, 4, 4, 16, 16L << 20, Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMillis(200),
                Duration.ofMillis(50), 3);
    }
}

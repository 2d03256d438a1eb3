package dev.chunkmesh.node.pull;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node pulls blobs.
 *
 * @param parallelFetches chunk fetches (peer batches or origin ranges) in flight at once per node
 * @param peerBatch chunks asked of a peer in one batch request
 * @param maxOriginRangeBytes adjacent origin chunks are joined into one Range request up to this size
 * @param leaseTime how long a single-flight lease lives without renewal; a dead holder's lease lapses after it
 * @param stallTimeout a pull that makes no progress for this long fails
 * @param penaltyTime how long a peer that sent bad bytes is left out of plans
 * @param pollInterval how often a node waiting on another node's single-flight fetch looks again
 * @param uploadSlots peer chunk requests this node serves at once (one more is answered 503, busy); the same across
 *     the POP, so a node does not ask a peer whose heartbeat shows this many transfers
 */
public record PullSettings(int parallelFetches, int peerBatch, int peerWindow, long maxOriginRangeBytes, Duration leaseTime,
                           Duration stallTimeout, Duration penaltyTime, Duration pollInterval, int uploadSlots) {

    /**
     * 8 fetches in flight, batches of 32 chunks, 4 per peer, 16 MiB ranges, 10 s leases, 60 s stall limit and penalty, polls every
     * 50 ms, 8 upload slots: the defaults of the {@code pull} settings.
     */
    public static final PullSettings DEFAULTS = new PullSettings(8, 32, 4, 16L << 20, Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofMillis(50), 8);

    public PullSettings {
        if (parallelFetches < 1 || peerBatch < 1 || peerBatch > 256 || peerWindow < 1 || maxOriginRangeBytes < 1 || uploadSlots < 1) {
            throw new IllegalArgumentException("parallel fetches >= 1, peer batch 1-256, peer window >= 1, origin range >= 1 byte and upload"
                    + " slots >= 1 are required");
        }
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(penaltyTime, "penaltyTime");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** These settings with {@code slots} upload slots. */
    public PullSettings withUploadSlots(int slots) {
        return new PullSettings(parallelFetches, peerBatch, peerWindow, maxOriginRangeBytes, leaseTime, stallTimeout, penaltyTime, pollInterval,
                slots);
    }

    /** Origin Range requests in flight per pull: the fetch threads bound them across pulls too. */
    public int originWindow() {
        return Math.min(parallelFetches, 4);
    }

    /** A peer request unanswered this long fails, and the pull goes on without that peer: 15 s, or the stall timeout if shorter. */
    public Duration requestTimeout() {
        return stallTimeout.compareTo(Duration.ofSeconds(15)) < 0 ? stallTimeout : Duration.ofSeconds(15);
    }

    /**
     * How long a chunk whose lease another node holds waits before the lease is asked for again: a tenth of
     * the lease time (at least 4 polls). Waiters learn of the chunk from the holder's advert; asking again
     * only matters when the holder died, and its lease lapses after the lease time anyway.
     */
    public Duration leaseRetry() {
        Duration tenth = leaseTime.dividedBy(10);
        Duration polls = pollInterval.multipliedBy(4);
        return tenth.compareTo(polls) > 0 ? tenth : polls;
    }
}

package dev.chunkmesh.gossip.pull;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.plan.SourceKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a {@link PullMachine} asks its driver to do. Requests are answered by {@link PullEvent}s naming their id. */
public sealed interface PullCommand {

    /** Fetch these chunks (recipe indexes, ascending) from a peer; answer with {@link PullEvent.Answered}. */
    record FetchFromPeer(int request, NodeInfo peer, SourceKind kind, List<Integer> chunks) implements PullCommand {
        public FetchFromPeer {
            chunks = List.copyOf(chunks);
        }
    }

    /** Take the single-flight leases of these chunks; answer with {@link PullEvent.LeasesAnswered}. */
    record AcquireLeases(int request, List<Integer> chunks) implements PullCommand {
        public AcquireLeases {
            chunks = List.copyOf(chunks);
        }
    }

    /**
     * Fetch adjacent chunks from the origin by one Range request for {@code [offset, offset + length)};
     * answer with {@link PullEvent.Answered}. This node holds their leases.
     *
     * @param heldInPopBytes bytes of these chunks that some node of the POP claimed when the request was made
     *     (a second origin fetch of them, for the metrics)
     */
    record FetchFromOrigin(int request, long offset, long length, List<Integer> chunks, long heldInPopBytes) implements PullCommand {
        public FetchFromOrigin {
            chunks = List.copyOf(chunks);
        }
    }

    /** Give back the single-flight leases of these chunks (after they are advertised). */
    record ReleaseLeases(List<Integer> chunks) implements PullCommand {
        public ReleaseLeases {
            chunks = List.copyOf(chunks);
        }
    }

    /** Tell the POP this node holds {@code held} of the blob. */
    record Advertise(ChunkBitmap held) implements PullCommand {
        public Advertise {
            Objects.requireNonNull(held, "held");
        }
    }

    /** This peer sent bytes that are not what it claimed: leave it out of every pull for a while. */
    record Penalise(NodeId peer) implements PullCommand {
        public Penalise {
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** Every chunk is stored; the machine asks for nothing more. */
    record Finish(int badPeers) implements PullCommand {}

    /** The pull cannot go on; the machine asks for nothing more. */
    record GiveUp(String reason, Optional<Throwable> cause) implements PullCommand {
        public GiveUp {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cause, "cause");
        }
    }
}

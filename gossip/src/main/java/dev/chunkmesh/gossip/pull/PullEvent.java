package dev.chunkmesh.gossip.pull;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What happened, told to a {@link PullMachine}. */
public sealed interface PullEvent {

    /**
     * The POP's view changed: the live nodes that claim some of the blob, with what they claim; the
     * transfers each is serving now (its load, from its heartbeat; missing means none); and the peers this
     * node penalises now (for bad bytes in any pull). Claims are advice: every chunk is checked when it
     * arrives.
     */
    record Holders(Map<NodeInfo, ChunkBitmap> holders, Map<NodeId, Integer> load, Set<NodeId> penalised) implements PullEvent {
        public Holders {
            holders = Map.copyOf(holders);
            load = Map.copyOf(load);
            penalised = Set.copyOf(penalised);
        }

        /** A view without load figures. */
        public Holders(Map<NodeInfo, ChunkBitmap> holders, Set<NodeId> penalised) {
            this(holders, Map.of(), penalised);
        }
    }

    /** How a fetch ended. */
    enum Outcome {
        /** Every chunk asked for was verified and stored. */
        OK,
        /** The source answered, but lacked some chunks it claimed (those not in {@code stored}). */
        LACKED,
        /** The source could not be reached, failed, or did not answer in time. */
        UNAVAILABLE,
        /**
         * The peer refused at once because all its upload slots were taken: it is well, only full, so it is
         * neither left out of the pull nor penalised, but rests for {@link PullRules#busyBackoff()}.
         */
        BUSY,
        /** The source sent bytes that are not the chunk asked for. */
        CORRUPT
    }

    /**
     * A fetch command answered. {@code stored} are the chunks of the request now verified and in the
     * store (possibly some even when the outcome is not {@link Outcome#OK}); {@code cause} explains a failure.
     */
    record Answered(int request, Set<Integer> stored, Outcome outcome, Optional<Throwable> cause) implements PullEvent {
        public Answered {
            stored = Set.copyOf(stored);
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(cause, "cause");
        }

        public static Answered ok(int request, Set<Integer> stored) {
            return new Answered(request, stored, Outcome.OK, Optional.empty());
        }

        public static Answered failed(int request, Outcome outcome, Throwable cause) {
            return new Answered(request, Set.of(), outcome, Optional.of(cause));
        }
    }

    /** Single-flight leases asked for: {@code granted} are now this node's; the others are held by the nodes named. */
    record LeasesAnswered(int request, Set<Integer> granted, Map<Integer, NodeId> heldByOthers) implements PullEvent {
        public LeasesAnswered {
            granted = Set.copyOf(granted);
            heldByOthers = Map.copyOf(heldByOthers);
        }
    }

    /** Time passed: deliver at least every {@link PullRules#advertiseInterval()} while a pull runs. */
    record Tick() implements PullEvent {}
}

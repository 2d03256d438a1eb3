package dev.chunkmesh.sim;

import java.util.List;
import java.util.Optional;

/**
 * One simulated rollout: topology, workload, rollout waves, faults, and the strategies to compare.
 * Built by {@link ScenarioLoader} from YAML; rates in bytes per second, times in seconds.
 */
public record Scenario(String name, long seed, Origin origin, List<PopGroup> pops, List<HubGroup> hubs, Latency latency,
                       Release release, Rollout rollout, Faults faults, List<String> strategies, Engine engine) {

    public Scenario {
        pops = List.copyOf(pops);
        hubs = List.copyOf(hubs);
        strategies = List.copyOf(strategies);
        if (pops.isEmpty()) {
            throw new IllegalArgumentException("scenario " + name + " needs at least one POP");
        }
        Tiers.of(pops);
        if (pops.stream().allMatch(PopGroup::cacheOnly) && hubs.isEmpty()) {
            throw new IllegalArgumentException("scenario " + name + " has no node that pulls the release: every POP is cache-only");
        }
        for (String s : strategies) {
            if (!Strategies.NAMES.contains(s)) {
                throw new IllegalArgumentException("unknown strategy '" + s + "'; known: " + Strategies.NAMES);
            }
        }
    }

    /**
     * The origin registry: {@code count} servers (Kraken's benchmark ran 5 origins) of {@code bandwidth} each, modelled as one
     * link of {@code count} times the bandwidth that accepts {@code count} times a node's swarm connections ({@link PieceSwarm}).
     */
    public record Origin(double bandwidth, double latency, int count) {
        public Origin {
            if (count < 1 || !(bandwidth > 0)) {
                throw new IllegalArgumentException("origin: bandwidth must be positive and count at least 1");
            }
        }

        /** What all its servers send together, bytes per second. */
        public double totalBandwidth() {
            return bandwidth * count;
        }
    }

    /**
     * {@code count} POPs named {@code <name>-1..count} of {@code nodes} nodes each.
     *
     * @param upper the upper tier these POPs ask for what none of their nodes holds, before the origin: a POP,
     *     or a POP group they are spread over in turn ({@link Tiers}); empty for root tiers, which use the origin
     * @param cacheOnly its nodes pull no release; they only hold what the tiers below fetch through them
     * @param spread per-host noise: each node's download rate is {@code down} times min(1, e<sup>spread&middot;Z</sup>), Z
     *     drawn once per node from a standard normal, so half the nodes reach the cap and the others are slowed by a
     *     log-normal factor (what a host writes and checks is held up by its busy disk or CPU; what it serves comes from
     *     the page cache at {@code up}); 0 (the default) for none
     */
    public record PopGroup(String name, int count, int nodes, double up, double down, double uplink, long capacity, Optional<String> upper,
                           boolean cacheOnly, double spread) {
        public PopGroup {
            if (count < 1 || nodes < 1) {
                throw new IllegalArgumentException("POP group " + name + " needs a count and nodes of at least 1");
            }
            if (!(spread >= 0)) {
                throw new IllegalArgumentException("POP group " + name + ": spread must be 0 or more, got " + spread);
            }
        }
    }

    /**
     * {@code count} micro-hubs of {@code nodes} nodes, each with parent POP {@code parent} (or, when "*", spread over the POPs
     * that are not cache-only). A micro-hub joins its parent's cluster, so it shares its parent's upper tier.
     */
    public record HubGroup(String name, int count, int nodes, String parent, double up, double down, double uplink, long capacity) {}

    /**
     * One-way latency added to each transfer's start, by how far it goes: within a POP, between a micro-hub
     * and its parent, between a POP and its upper tier, and between any other two POPs.
     */
    public record Latency(double samePop, double parent, double upper, double wan) {}

    /**
     * What is rolled out: synthetic layers (sizes, chunked with the real chunker), or a real catalog.
     *
     * @param previousChange when present, every node already holds v1 and pulls v2, in which this
     *     fraction of each layer's bytes changed in place (a delta release)
     */
    public record Release(List<Long> layers, Optional<String> catalog, Optional<Double> previousChange, int chunkAvg) {
        public Release {
            layers = List.copyOf(layers);
        }
    }

    /**
     * @param mode {@code all} at once, {@code by-pop} one POP per interval, or {@code percent} steps
     * @param steps for {@code percent}: the cumulative share of nodes started at each step
     * @param prefetchLead when above 0, nodes prefetch the release this long before their wave
     */
    public record Rollout(String mode, double interval, List<Double> steps, double prefetchLead) {
        public Rollout {
            steps = List.copyOf(steps);
        }
    }

    /**
     * @param originOutage origin unreachable in [from, to) seconds, if given
     * @param originSlowdown origin at {@code [2]} times its bandwidth in [from, to), if given
     * @param popCut the first POP's uplink cut in [from, to), if given
     * @param churn share of nodes that die at {@code churnAt} seconds
     * @param lyingPeers share of nodes that serve corrupt data (caught by digest checks)
     */
    public record Faults(Optional<double[]> originOutage, Optional<double[]> originSlowdown, Optional<double[]> popCut, double churn,
                         double churnAt, double lyingPeers) {}

    /**
     * @param concurrency transfers in flight per node
     * @param spanBytes the mesh's transfer unit: consecutive chunks up to this size (its planner works on these)
     * @param batch time advances until about one in this many transfers in flight has finished: higher is
     *     finer (and slower); 200 by default
     * @param maxMin links shared max-min fairly ({@link FairShare}) instead of in equal shares (the
     *     default: it is faster, and on {@code kraken-2600} it gave the same figures within 1 %)
     * @param pieceConns when above 0, {@code piece-p2p} swarms as Kraken's agents do ({@link PieceSwarm}), each node
     *     and the origin keeping at most this many connections, both ends counting (Kraken's {@code max_open_conn}
     *     is 10); 0 (the default) keeps the fleet-wide tracker of {@link PieceP2p}
     * @param piecePipeline with {@code pieceConns}: piece requests in flight per connection (Kraken's
     *     {@code pipeline_limit}, 3 by default)
     * @param uploadSlots the mesh's upload slots: span requests a node serves at once; a request beyond them is
     *     answered busy, as a real node's peer API does (4 by default)
     */
    public record Engine(int concurrency, long spanBytes, long pieceBytes, int candidates, int batch, boolean maxMin, int pieceConns,
                         int piecePipeline, int uploadSlots) {
        public Engine {
            if (concurrency < 1 || candidates < 1 || batch < 1 || spanBytes < 1 || pieceBytes < 1 || pieceConns < 0 || piecePipeline < 1
                    || uploadSlots < 1) {
                throw new IllegalArgumentException("engine: concurrency, candidates, batch, span, piece, piece-pipeline and upload-slots must "
                        + "be positive, piece-conns 0 or more");
            }
        }
    }
}

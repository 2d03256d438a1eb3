package dev.chunkmesh.sim;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.gossip.Tier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The simulated fleet: nodes in POPs and micro-hubs, and the links transfers cross, with their
 * capacities in bytes per second. Node i's place is also a gossip {@link NodeInfo}, so the mesh
 * strategy can hand it to the real planner. POPs come first (in {@link Tiers} order), then micro-hubs.
 */
final class World {
    private static final long NOISE_SEED = 0x6e6f697365L;
    final int nodes;
    final int[] pop;
    final NodeInfo[] info;
    final int[] upLink;
    final int[] downLink;
    final boolean[] lying;
    final int pops;
    final String[] popName;
    final int[] popParent;
    /** A POP's upper-tier POP, or -1 (for root tiers and micro-hubs, which use their parent's). */
    final int[] popUpper;
    /** The root tier each POP's bytes from the origin come through (a micro-hub's is its parent's). */
    final int[] popRoot;
    /** Whether a node pulls the release: false for the nodes of cache-only POPs. */
    final boolean[] target;
    final int targets;
    final int[] popUplink;
    final int[] cacheLink;
    final List<List<Integer>> popMembers = new ArrayList<>();
    final int originLink;
    final double[] baseCapacity;
    /** Each node's configured download rate, before its per-host noise ({@link Scenario.PopGroup#spread}). */
    final double[] nominalDown;
    final Scenario scenario;
    private final Map<NodeId, Integer> indexOf = new HashMap<>();
    /** The same, by the very {@code NodeId} objects of {@link #info}: what the strategies hand back, found without hashing names. */
    private final Map<NodeId, Integer> indexOfSame = new IdentityHashMap<>();

    World(Scenario s) {
        this.scenario = s;
        Tiers tiers = Tiers.of(s.pops());
        List<String> names = new ArrayList<>(tiers.names());
        List<Integer> parents = new ArrayList<>();
        List<double[]> popRates = new ArrayList<>();
        List<int[]> nodeSpec = new ArrayList<>();
        for (Scenario.PopGroup g : s.pops()) {
            for (int k = 1; k <= g.count(); k++) {
                parents.add(-1);
                popRates.add(new double[] {g.uplink(), g.up(), g.down(), g.spread()});
                nodeSpec.add(new int[] {parents.size() - 1, g.nodes()});
            }
        }
        int popCount = names.size();
        List<Integer> pulling = new ArrayList<>();
        for (int p = 0; p < popCount; p++) {
            if (!tiers.cacheOnly()[p]) {
                pulling.add(p);
            }
        }
        for (Scenario.HubGroup h : s.hubs()) {
            for (int k = 1; k <= h.count(); k++) {
                if (h.parent().equals("*") && pulling.isEmpty()) {
                    throw new IllegalArgumentException("hub parent '*' spreads micro-hubs over POPs that pull, and every POP is cache-only");
                }
                int parent = h.parent().equals("*") ? pulling.get((k - 1) % pulling.size()) : names.subList(0, popCount).indexOf(h.parent());
                if (parent < 0) {
                    throw new IllegalArgumentException("hub parent '" + h.parent() + "' is not a POP of the scenario");
                }
                names.add(h.name() + "-" + k);
                parents.add(parent);
                popRates.add(new double[] {h.uplink(), h.up(), h.down(), 0});
                nodeSpec.add(new int[] {names.size() - 1, h.nodes()});
            }
        }
        pops = names.size();
        popName = names.toArray(String[]::new);
        popParent = parents.stream().mapToInt(Integer::intValue).toArray();
        popUpper = new int[pops];
        popRoot = new int[pops];
        for (int p = 0; p < pops; p++) {
            popUpper[p] = p < popCount ? tiers.upper()[p] : -1;
            popRoot[p] = tiers.root(p < popCount ? p : popParent[p]);
        }
        nodes = nodeSpec.stream().mapToInt(x -> x[1]).sum();
        target = new boolean[nodes];
        pop = new int[nodes];
        info = new NodeInfo[nodes];
        upLink = new int[nodes];
        downLink = new int[nodes];
        lying = new boolean[nodes];
        nominalDown = new double[nodes];
        List<Double> caps = new ArrayList<>();
        caps.add(s.origin().totalBandwidth());
        originLink = 0;
        popUplink = new int[pops];
        cacheLink = new int[pops];
        for (int p = 0; p < pops; p++) {
            popUplink[p] = caps.size();
            caps.add(popRates.get(p)[0]);
            cacheLink[p] = caps.size();
            caps.add(popRates.get(p)[0]);
            popMembers.add(new ArrayList<>());
        }
        SplittableRandom rnd = new SplittableRandom(s.seed());
        // A stream of its own, so that scenarios without noise draw exactly what they drew before it existed.
        SplittableRandom noise = new SplittableRandom(s.seed() ^ NOISE_SEED);
        int i = 0;
        for (int[] spec : nodeSpec) {
            int p = spec[0];
            for (int k = 0; k < spec[1]; k++, i++) {
                pop[i] = p;
                popMembers.get(p).add(i);
                boolean hub = popParent[p] >= 0;
                info[i] = new NodeInfo(new NodeId("n" + i), new PopId(popName[p]), hub ? Tier.MICRO_HUB : Tier.POP,
                        hub ? Optional.of(new PopId(popName[popParent[p]])) : Optional.empty(), "sim:" + i);
                indexOf.put(info[i].id(), i);
                indexOfSame.put(info[i].id(), i);
                double spread = popRates.get(p)[3];
                double speed = spread > 0 ? Math.min(1, Math.exp(spread * noise.nextGaussian())) : 1;
                upLink[i] = caps.size();
                caps.add(popRates.get(p)[1]);
                downLink[i] = caps.size();
                caps.add(popRates.get(p)[2] * speed);
                nominalDown[i] = popRates.get(p)[2];
                lying[i] = rnd.nextDouble() < s.faults().lyingPeers();
                target[i] = hub || !tiers.cacheOnly()[p];
            }
        }
        int n = 0;
        for (boolean t : target) {
            n += t ? 1 : 0;
        }
        targets = n;
        baseCapacity = caps.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The index of the node {@code id} names. */
    int index(NodeId id) {
        Integer same = indexOfSame.get(id);
        return same != null ? same : indexOf.get(id);
    }

    boolean hub(int node) {
        return popParent[pop[node]] >= 0;
    }

    /** The POPs that take bytes from the origin themselves (no upper tier), in POP order. */
    List<Integer> roots() {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < pops; p++) {
            if (popParent[p] < 0 && popUpper[p] < 0) {
                out.add(p);
            }
        }
        return out;
    }
}

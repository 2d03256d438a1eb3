package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The POPs a scenario's groups expand to ({@code <group>-1..count}, in the order of the groups), each
 * with its upper-tier POP. A group's {@code upper} names one POP, or a group whose POPs its own POPs are
 * spread over in turn (POP k of the group under POP k modulo the upper group's count). Construction
 * refuses an upper that names nothing, a POP name used twice, and uppers that form a cycle, so every
 * chain of uppers ends at a root tier: a POP with no upper, the only kind that talks to the origin.
 *
 * @param names the POPs' names, by POP index
 * @param upper the index of each POP's upper-tier POP, or -1 for a root tier
 * @param cacheOnly whether each POP's nodes only cache for the tiers below (they pull no release of their own)
 */
record Tiers(List<String> names, int[] upper, boolean[] cacheOnly) {

    static Tiers of(List<Scenario.PopGroup> groups) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, int[]> groupRange = new HashMap<>();
        List<Boolean> cacheOnly = new ArrayList<>();
        for (Scenario.PopGroup g : groups) {
            groupRange.putIfAbsent(g.name(), new int[] {names.size(), g.count()});
            for (int k = 1; k <= g.count(); k++) {
                String name = g.name() + "-" + k;
                if (index.putIfAbsent(name, names.size()) != null) {
                    throw new IllegalArgumentException("POP '" + name + "' is named twice; give the POP groups different names");
                }
                names.add(name);
                cacheOnly.add(g.cacheOnly());
            }
        }
        int[] upper = new int[names.size()];
        int at = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Scenario.PopGroup g = groups.get(gi);
            for (int k = 0; k < g.count(); k++, at++) {
                upper[at] = g.upper().isEmpty() ? -1 : resolve(g.upper().get(), k, gi, groupRange, index);
            }
        }
        boolean[] cache = new boolean[cacheOnly.size()];
        for (int i = 0; i < cache.length; i++) {
            cache[i] = cacheOnly.get(i);
        }
        refuseCycles(names, upper);
        return new Tiers(List.copyOf(names), upper, cache);
    }

    /** The root tier above {@code pop}: the end of its chain of uppers (itself if it has none). */
    int root(int pop) {
        int p = pop;
        while (upper[p] >= 0) {
            p = upper[p];
        }
        return p;
    }

    private static int resolve(String upper, int k, int group, Map<String, int[]> groupRange, Map<String, Integer> index) {
        int[] range = groupRange.get(upper);
        if (range != null) {
            return range[0] + k % range[1];
        }
        Integer pop = index.get(upper);
        if (pop == null) {
            throw new IllegalArgumentException("pops[" + group + "].upper '" + upper + "' names no POP or POP group; groups: "
                    + groupRange.keySet().stream().sorted().toList());
        }
        return pop;
    }

    private static void refuseCycles(List<String> names, int[] upper) {
        for (int start = 0; start < upper.length; start++) {
            List<Integer> chain = new ArrayList<>();
            for (int p = start; p >= 0; p = upper[p]) {
                int seen = chain.indexOf(p);
                if (seen >= 0) {
                    List<String> cycle = new ArrayList<>();
                    chain.subList(seen, chain.size()).forEach(i -> cycle.add(names.get(i)));
                    cycle.add(names.get(p));
                    throw new IllegalArgumentException("upper tiers form a cycle: " + String.join(" -> ", cycle)
                            + "; a chain of uppers must end at a POP without one (a root tier)");
                }
                chain.add(p);
            }
        }
    }
}

package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpperTiersTest {

    private static Scenario yaml(String text) throws Exception {
        return ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree(text), "test");
    }

    private static Summary mesh(Scenario s) throws Exception {
        return FleetSim.run(s, (x, f) -> { }).summaries().stream().filter(x -> x.strategy().equals("mesh")).findFirst().orElseThrow();
    }

    @Test
    void eachRegionTakesEachByteFromTheOriginOnceForThePopsAndMicroHubBelowIt() throws Exception {
        FleetSim.Result r = FleetSim.run(ScenarioLoader.load("tiers"), (s, f) -> { });
        Summary mesh = r.summaries().stream().filter(x -> x.strategy().equals("mesh")).findFirst().orElseThrow();
        assertEquals(13, r.targetNodes(), "four POPs of three and a micro-hub pull; the regions' four nodes only cache");
        assertEquals(List.of("region-1", "region-2"), r.roots());
        assertEquals(0, mesh.failedPulls());
        for (Map.Entry<String, Long> root : mesh.originBytesByRoot().entrySet()) {
            assertEquals(r.uniqueBytes(), root.getValue(), root.getKey() + " took each byte once");
        }
        assertEquals(4 * r.uniqueBytes(), mesh.bytesByTier().get("upper"), "each POP took each byte once from its region");
        assertTrue(mesh.bytesByTier().get("parent") > 0, "the micro-hub still pulls through its parent's cluster");
    }

    @Test
    void aRegionFetchesEachSpanOnceUnderConcurrentDemandFromSeveralPops() throws Exception {
        String pops = """
                origin: {bandwidth: 20MB, latency: 50ms}
                pops:
                  - {name: pop, count: 4, nodes: 2, up: 1Gbit, down: 1Gbit, uplink: 10Gbit%s}
                  - {name: region, count: 1, nodes: 2, up: 10Gbit, down: 10Gbit, uplink: 10Gbit, cache-only: true}
                release: {layers: [32MiB]}
                strategies: [mesh]
                """;
        Summary flat = mesh(yaml(pops.formatted("")));
        Summary tiered = mesh(yaml(pops.formatted(", upper: region-1")));
        long unique = tiered.uniqueBytes();
        assertEquals(4 * unique, flat.originBytes(), "without the region, the four POPs ask the origin at once, each for itself");
        assertEquals(unique, tiered.originBytes(), "with it, the region fetched each span once for all four");
        assertEquals(4 * unique, tiered.bytesByTier().get("upper"), "and served it to each POP once");
        assertTrue(tiered.p50() < flat.p50(), "one origin fetch per span is faster through a slow origin: " + tiered.p50() + " against "
                + flat.p50());
    }

    @Test
    void nestedTiersTakeBytesFromTheOriginOnlyAtTheRoot() throws Exception {
        Summary mesh = mesh(yaml("""
                origin: {bandwidth: 100MB}
                pops:
                  - {name: pop, count: 4, nodes: 2, upper: region}
                  - {name: region, count: 2, nodes: 2, cache-only: true, upper: continent-1}
                  - {name: continent, count: 1, nodes: 1, cache-only: true}
                release: {layers: [16MiB]}
                strategies: [mesh]
                """));
        assertEquals(Map.of("continent-1", mesh.uniqueBytes()), mesh.originBytesByRoot(), "one root tier, each byte once");
        assertEquals((4 + 2) * mesh.uniqueBytes(), mesh.bytesByTier().get("upper"), "each POP from its region, each region from the continent");
        assertEquals(0, mesh.failedPulls());
    }

    @Test
    void withoutUpperTiersEveryPopIsARootTier() throws Exception {
        Summary mesh = mesh(yaml("""
                pops: [{count: 3, nodes: 2}]
                release: {layers: [8MiB]}
                strategies: [mesh]
                """));
        assertEquals(List.of("pop-1", "pop-2", "pop-3"), List.copyOf(mesh.originBytesByRoot().keySet()));
        mesh.originBytesByRoot().values().forEach(v -> assertEquals(mesh.uniqueBytes(), v));
        assertEquals(1.0, mesh.maxPerRootOverUnique(), 1e-9);
    }

    @Test
    void aRegionWhoseNodesDieMidwayStillGetsEveryLivePullItsRelease() throws Exception {
        Scenario sc = yaml("""
                origin: {bandwidth: 50MB}
                pops:
                  - {name: pop, count: 3, nodes: 2, upper: region-1}
                  - {name: region, count: 1, nodes: 3, cache-only: true}
                release: {layers: [64MiB]}
                faults: {churn: 0.4, churn-at: 0.5s}
                strategies: [mesh]
                """);
        World w = new World(sc);
        Workload wl = Workload.of(sc.release(), sc.seed());
        MeshStrategy mesh = new MeshStrategy(w, wl);
        Simulation.Run run = new Simulation(w, wl).run(mesh, f -> { });
        List<Integer> region = w.popMembers.get(3);
        assertTrue(region.stream().anyMatch(i -> mesh.dead[i]) && region.stream().anyMatch(i -> !mesh.dead[i]),
                "the churn killed some of the region's nodes, not all");
        for (int i = 0; i < w.nodes; i++) {
            if (w.target[i]) {
                assertEquals(mesh.dead[i], run.failed()[i], "node " + i + " fails only if it died");
            }
        }
    }
}

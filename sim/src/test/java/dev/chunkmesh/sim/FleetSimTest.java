package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetSimTest {

    @TempDir
    Path dir;

    private static Map<String, Summary> byStrategy(FleetSim.Result r) {
        return r.summaries().stream().collect(Collectors.toMap(Summary::strategy, Function.identity()));
    }

    private static Scenario yaml(String text) throws Exception {
        return ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree(text), "test");
    }

    @Test
    void everyStrategyDeliversTheSmallScenarioAndTheMeshTakesEachByteFromTheOriginOnce() throws Exception {
        FleetSim.Result r = FleetSim.run(ScenarioLoader.load("small"), (s, f) -> { });
        assertEquals(4, r.nodes());
        Map<String, Summary> s = byStrategy(r);
        s.values().forEach(x -> assertEquals(0, x.failedPulls(), x.strategy()));
        assertEquals(r.uniqueBytes(), s.get("mesh").originBytes(), r.uniqueBytes() / 100.0, "once for the POP and its micro-hub");
        assertEquals(4 * r.releaseBytes(), s.get("origin").originBytes(), 4.0, "every node from the origin");
        assertTrue(s.get("mesh").bytesByTier().get("parent") > 0, "the micro-hub took bytes from its parent POP");
        assertTrue(s.get("mesh").p99() >= s.get("mesh").boundSeconds(), "nothing beats the bandwidth bound");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "tiers"})
    void theSameSeedGivesTheSameResults(String scenario) throws Exception {
        Scenario sc = ScenarioLoader.load(scenario);
        FleetSim.Result a = FleetSim.run(sc, (s, f) -> { });
        FleetSim.Result b = FleetSim.run(sc, (s, f) -> { });
        for (int i = 0; i < a.summaries().size(); i++) {
            Summary x = a.summaries().get(i);
            Summary y = b.summaries().get(i);
            assertEquals(x.originBytes(), y.originBytes());
            assertEquals(x.p99(), y.p99());
            assertEquals(x.bytesByTier(), y.bytesByTier());
            assertEquals(x.originBytesByRoot(), y.originBytesByRoot());
        }
    }

    @Test
    void aDeltaMovesOnlyTheNewChunksInTheMeshButWholeLayersElsewhere() throws Exception {
        Scenario sc = yaml("""
                pops: [{count: 2, nodes: 5}]
                release: {layers: [8MiB, 4MiB], change: 0.05}
                strategies: [origin, mesh]
                """);
        FleetSim.Result r = FleetSim.run(sc, (s, f) -> { });
        Map<String, Summary> s = byStrategy(r);
        assertTrue(r.uniqueBytes() < r.releaseBytes() * 0.2, "a 5 % edit makes a small delta: " + r.uniqueBytes());
        assertEquals(2 * r.uniqueBytes(), s.get("mesh").originBytes(), r.uniqueBytes() / 50.0, "new chunks once per POP");
        assertEquals(10 * r.releaseBytes(), s.get("origin").originBytes(), 10.0, "whole changed layers for every node");
    }

    @Test
    void anOriginOutageDelaysPullsUntilItEnds() throws Exception {
        Scenario sc = yaml("""
                pops: [{count: 1, nodes: 3}]
                release: {layers: [4MiB]}
                faults: {origin-outage: {from: 0s, to: 20s}}
                strategies: [mesh]
                """);
        Summary mesh = FleetSim.run(sc, (s, f) -> { }).summaries().get(0);
        assertTrue(mesh.p50() >= 20, "nobody finishes before the origin is back: " + mesh.p50());
        assertEquals(0, mesh.failedPulls());
    }

    @Test
    void anOriginSlowdownStretchesColdPulls() throws Exception {
        String base = "pops: [{count: 1, nodes: 2}]\norigin: {bandwidth: 10MB}\nrelease: {layers: [20MiB]}\nstrategies: [mesh]\n";
        Summary normal = FleetSim.run(yaml(base), (s, f) -> { }).summaries().get(0);
        Summary slow = FleetSim.run(yaml(base + "faults: {origin-slowdown: {from: 0s, to: 1h, factor: 0.25}}\n"), (s, f) -> { })
                .summaries().get(0);
        assertTrue(slow.p50() > 3 * normal.p50(), "a quarter of the origin's bandwidth: " + normal.p50() + " -> " + slow.p50());
    }

    @Test
    void lyingPeersCostTimeButNoPull() throws Exception {
        Scenario sc = yaml("""
                pops: [{count: 1, nodes: 30}]
                release: {layers: [16MiB]}
                faults: {lying-peers: 0.2}
                strategies: [mesh, blob-p2p]
                """);
        FleetSim.Result r = FleetSim.run(sc, (s, f) -> { });
        r.summaries().forEach(x -> assertEquals(0, x.failedPulls(), x.strategy()));
    }

    @Test
    void unknownKeysAndStrategiesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> yaml("pops: [{count: 1, nodes: 3, speed: 1}]\nrelease: {layers: [1MiB]}"));
        assertThrows(IllegalArgumentException.class, () -> yaml("pops: [{count: 1}]\nrelease: {layers: [1MiB]}\nstrategies: [magic]"));
        assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.load("no-such-scenario"));
    }

    @Test
    void theReportHasTheSummaryCsvsChartsAndMarkdown() throws Exception {
        FleetSim.Result r = FleetSim.run(ScenarioLoader.load("small"), (s, f) -> { });
        Report.write(r, dir);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        for (String strategy : Strategies.NAMES) {
            JsonNode s = summary.get("strategies").get(strategy);
            for (String field : new String[] {"origin_bytes", "unique_bytes", "pull_p50_s", "pull_p95_s", "pull_p99_s", "pull_p999_s", "bound_s",
                    "bytes_by_tier", "failed_pulls", "origin_bytes_by_root", "origin_max_per_root_x_unique"}) {
                assertTrue(s.has(field), strategy + " has " + field);
            }
        }
        assertEquals(4, summary.get("nodes").asInt());
        assertTrue(summary.has("wall_s"));
        assertEquals("pop-1", summary.get("root_tiers").get(0).asText(), "the only POP is the only root tier");
        assertEquals(r.uniqueBytes(), summary.get("strategies").get("mesh").get("origin_bytes_by_root").get("pop-1").asLong(), r.uniqueBytes() / 100.0);
        for (String png : new String[] {"pull-time-cdf.png", "origin-egress.png", "origin-by-root.png", "bytes-by-tier.png", "release-timeline.png"}) {
            assertTrue(Files.size(dir.resolve(png)) > 5_000, png);
            assertTrue(Files.readString(dir.resolve("report.md")).contains("(" + png + ")"), png + " is in the report");
        }
        assertEquals(1 + 5 * 4, Files.readAllLines(dir.resolve("pulls.csv")).size());
        assertTrue(Files.readAllLines(dir.resolve("tiers.csv")).size() > 5);
    }
}

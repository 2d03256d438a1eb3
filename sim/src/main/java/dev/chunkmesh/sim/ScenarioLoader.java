package dev.chunkmesh.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a scenario from a YAML file, or one of the built-in ones by name ({@link #BUILT_IN}). Unknown
 * keys are refused with their path; every field has a default except the POPs.
 *
 * <p>Tiers: a POP group may name an {@code upper} tier, a POP ({@code region-2}) or a POP group
 * ({@code region}, whose POPs the group's POPs are spread over in turn), that its POPs ask for what none of
 * their nodes holds, before the origin; uppers nest, and only a POP without one (a root tier) talks to the
 * origin. A group with {@code cache-only: true} has nodes that pull no release and only hold what the tiers
 * below fetch through them. {@code latency.upper} is the one-way latency between a POP and its upper tier.
 * An upper naming no POP or group, and uppers that form a cycle, are refused with the names involved.
 * Micro-hubs keep their {@code parent}, whose cluster they join, and ask their parent's upper tier.
 *
 * <pre>
 * pops:
 *   - {name: pop, count: 20, nodes: 100, upper: region}
 *   - {name: region, count: 4, nodes: 4, up: 25Gbit, down: 25Gbit, uplink: 100Gbit, cache-only: true}
 * latency: {upper: 20ms}
 * </pre>
 */
public final class ScenarioLoader {
    public static final List<String> BUILT_IN = List.of("kraken-2600", "fleet-2000", "fleet-2000-regions", "fleet-10k", "fleet-10k-regions",
            "delta", "origin-outage", "small", "tiers");

    private ScenarioLoader() {
    }

    /** A built-in scenario by name, or a YAML file. */
    public static Scenario load(String fileOrName) throws IOException {
        if (BUILT_IN.contains(fileOrName)) {
            try (InputStream in = ScenarioLoader.class.getResourceAsStream("/scenarios/" + fileOrName + ".yaml")) {
                return parse(new ObjectMapper(new YAMLFactory()).readTree(in), fileOrName);
            }
        }
        Path p = Path.of(fileOrName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("'" + fileOrName + "' is neither a scenario file nor a built-in scenario " + BUILT_IN);
        }
        return parse(new ObjectMapper(new YAMLFactory()).readTree(p.toFile()), p.getFileName().toString().replaceAll("\\.ya?ml$", ""));
    }

    static Scenario parse(JsonNode root, String defaultName) {
        Fields f = new Fields(root, "");
        String name = f.text("name", defaultName);
        long seed = f.node("seed").isMissingNode() ? 1 : f.node("seed").asLong();
        Fields o = f.child("origin");
        Scenario.Origin origin = new Scenario.Origin(Units.rate(o.text("bandwidth", "10Gbit")), Units.seconds(o.text("latency", "50ms")),
                o.integer("count", 1));
        o.end(Set.of("bandwidth", "latency", "count"));
        List<Scenario.PopGroup> pops = new ArrayList<>();
        for (Fields p : f.list("pops")) {
            pops.add(new Scenario.PopGroup(p.text("name", "pop"), p.integer("count", 1), p.integer("nodes", 10), Units.rate(p.text("up", "10Gbit")),
                    Units.rate(p.text("down", "10Gbit")), Units.rate(p.text("uplink", "100Gbit")), Units.size(p.text("capacity", "1TiB")),
                    Optional.ofNullable(p.text("upper", null)), p.bool("cache-only", false), p.dbl("spread", 0)));
            p.end(Set.of("name", "count", "nodes", "up", "down", "uplink", "capacity", "upper", "cache-only", "spread"));
        }
        List<Scenario.HubGroup> hubs = new ArrayList<>();
        for (Fields h : f.list("hubs")) {
            hubs.add(new Scenario.HubGroup(h.text("name", "hub"), h.integer("count", 1), h.integer("nodes", 2), h.text("parent", "*"),
                    Units.rate(h.text("up", "1Gbit")), Units.rate(h.text("down", "1Gbit")), Units.rate(h.text("uplink", "1Gbit")),
                    Units.size(h.text("capacity", "1TiB"))));
            h.end(Set.of("name", "count", "nodes", "parent", "up", "down", "uplink", "capacity"));
        }
        Fields l = f.child("latency");
        Scenario.Latency latency = new Scenario.Latency(Units.seconds(l.text("same-pop", "1ms")), Units.seconds(l.text("parent", "10ms")),
                Units.seconds(l.text("upper", "20ms")), Units.seconds(l.text("wan", "40ms")));
        l.end(Set.of("same-pop", "parent", "upper", "wan"));
        Fields r = f.child("release");
        List<Long> layers = new ArrayList<>();
        for (JsonNode n : r.node("layers")) {
            layers.add(Units.size(n.asText()));
        }
        Optional<String> catalog = r.node("catalog").isMissingNode() ? Optional.empty() : Optional.of(r.text("catalog", ""));
        if (layers.isEmpty() && catalog.isEmpty()) {
            throw new IllegalArgumentException("release needs layers (sizes) or a catalog file");
        }
        Optional<Double> change = r.node("change").isMissingNode() ? Optional.empty() : Optional.of(r.node("change").asDouble());
        Scenario.Release release = new Scenario.Release(layers, catalog, change, (int) Units.size(r.text("chunk-avg", "64KiB")));
        r.end(Set.of("layers", "catalog", "change", "chunk-avg"));
        Fields w = f.child("rollout");
        List<Double> steps = new ArrayList<>();
        for (JsonNode n : w.node("steps")) {
            steps.add(n.asDouble());
        }
        Scenario.Rollout rollout = new Scenario.Rollout(w.text("mode", "all"), Units.seconds(w.text("interval", "30s")), steps,
                Units.seconds(w.text("prefetch-lead", "0s")));
        w.end(Set.of("mode", "interval", "steps", "prefetch-lead"));
        Fields x = f.child("faults");
        Scenario.Faults faults = new Scenario.Faults(window(x, "origin-outage"), window(x, "origin-slowdown"), window(x, "pop-cut"),
                x.dbl("churn", 0), Units.seconds(x.text("churn-at", "10s")), x.dbl("lying-peers", 0));
        x.end(Set.of("origin-outage", "origin-slowdown", "pop-cut", "churn", "churn-at", "lying-peers"));
        List<String> strategies = new ArrayList<>();
        for (JsonNode n : f.node("strategies")) {
            strategies.add(n.asText());
        }
        if (strategies.isEmpty()) {
            strategies.addAll(Strategies.NAMES);
        }
        Fields e = f.child("engine");
        Scenario.Engine engine = new Scenario.Engine(e.integer("concurrency", 4), Units.size(e.text("span", "8MiB")),
                Units.size(e.text("piece", "4MiB")), e.integer("candidates", 8), e.integer("batch", 200), sharing(e.text("sharing", "equal")),
                e.integer("piece-conns", 0), e.integer("piece-pipeline", 3), e.integer("upload-slots", 4));
        e.end(Set.of("concurrency", "span", "piece", "candidates", "batch", "sharing", "piece-conns", "piece-pipeline", "upload-slots"));
        f.end(Set.of("name", "seed", "origin", "pops", "hubs", "latency", "release", "rollout", "faults", "strategies", "engine"));
        return new Scenario(name, seed, origin, pops, hubs, latency, release, rollout, faults, strategies, engine);
    }

    private static Optional<double[]> window(Fields x, String key) {
        JsonNode n = x.node(key);
        if (n.isMissingNode()) {
            return Optional.empty();
        }
        Fields w = new Fields(n, key + ".");
        double[] out = {Units.seconds(w.text("from", "0s")), Units.seconds(w.text("to", "0s")), w.dbl("factor", 0)};
        w.end(Set.of("from", "to", "factor"));
        return Optional.of(out);
    }

    /** Strict reading of one mapping: every key must be known. */
    private record Fields(JsonNode node, String path) {
        JsonNode node(String key) {
            return node == null || node.isMissingNode() ? MissingNode.getInstance() : node.path(key);
        }

        String text(String key, String def) {
            JsonNode n = node(key);
            return n.isMissingNode() || n.isNull() ? def : n.asText();
        }

        int integer(String key, int def) {
            JsonNode n = node(key);
            return n.isMissingNode() ? def : n.asInt();
        }

        boolean bool(String key, boolean def) {
            JsonNode n = node(key);
            if (n.isMissingNode()) {
                return def;
            }
            if (!n.isBoolean()) {
                throw new IllegalArgumentException("scenario key '" + path + key + "' must be true or false, got '" + n.asText() + "'");
            }
            return n.asBoolean();
        }

        double dbl(String key, double def) {
            JsonNode n = node(key);
            return n.isMissingNode() ? def : n.asDouble();
        }

        Fields child(String key) {
            return new Fields(node(key), path + key + ".");
        }

        List<Fields> list(String key) {
            List<Fields> out = new ArrayList<>();
            JsonNode n = node(key);
            for (int i = 0; i < n.size(); i++) {
                out.add(new Fields(n.get(i), path + key + "[" + i + "]."));
            }
            return out;
        }

        void end(Set<String> known) {
            if (node == null || !node.isObject()) {
                return;
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("unknown scenario key '" + path + k + "'; known here: " + known);
                }
            }
        }
    }

    /** engine.sharing: "equal" shares per link, or "max-min" fair sharing. */
    private static boolean sharing(String text) {
        return switch (text) {
            case "equal" -> false;
            case "max-min" -> true;
            default -> throw new IllegalArgumentException("engine.sharing must be 'equal' or 'max-min', got '" + text + "'");
        };
    }
}

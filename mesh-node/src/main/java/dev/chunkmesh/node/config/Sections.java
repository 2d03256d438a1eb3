package dev.chunkmesh.node.config;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.node.admin.AdminToken;
import dev.chunkmesh.node.http.ServerLimits;
import dev.chunkmesh.node.pull.PullSettings;
import dev.chunkmesh.node.tls.TlsFiles;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sections of {@link NodeConfig} that stand on their own, one method per YAML section: each reads
 * the keys of its section (and nothing else reads them) and refuses bad values naming the key. The
 * {@code cluster} and {@code tiers} sections are in {@link ClusterSections}, {@code origin} in
 * {@link OriginSection}.
 */
final class Sections {

    private Sections() {
    }

    /** {@code node.*}; a missing name is the host's, cut to a valid node name. */
    static NodeConfig.Node node(Settings s) {
        PopId pop = s.get("node.pop", PopId::new);
        Optional<PopId> parent = s.optional("node.parent-pop").map(p -> s.get("node.parent-pop", PopId::new));
        NodeId name = s.optional("node.name").map(n -> s.get("node.name", NodeId::new)).orElseGet(Sections::hostName);
        if (parent.isPresent() && parent.get().equals(pop)) {
            throw new ConfigException("node.parent-pop: a micro-hub's parent cannot be its own POP '" + s.text("node.pop") + "'");
        }
        return new NodeConfig.Node(name, pop, parent);
    }

    /** {@code network.*} but {@code network.registry-bind}, which is the mirror's ({@link #registry}). */
    static NodeConfig.Network network(Settings s) {
        return new NodeConfig.Network(s.text("network.bind"), s.text("network.admin-bind"), s.port("network.peer-port"),
                s.port("network.registry-port"), s.port("network.admin-port"), s.port("network.hazelcast-port"), s.list("network.members"),
                s.optional("network.kubernetes-service-dns"), s.get("network.header-timeout",
                        x -> new ServerLimits(s.duration("network.header-timeout"), s.duration("network.idle-timeout"))));
    }

    /** {@code store.*}. */
    static NodeConfig.Store store(Settings s) {
        return new NodeConfig.Store(Path.of(s.text("store.data")), s.size("store.capacity"), s.bool("store.fsync"), s.bool("store.compress"));
    }

    /** {@code registry.*} and the mirror's address, {@code network.registry-bind}. */
    static NodeConfig.Registry registry(Settings s) {
        return new NodeConfig.Registry(s.text("network.registry-bind"), s.duration("registry.tag-ttl"), s.duration("registry.access-ttl"),
                s.bool("registry.access-log"));
    }

    /** {@code pull.*}; the progress report interval is not a setting. */
    static PullSettings pull(Settings s) {
        return s.get("pull", x -> new PullSettings(s.integer("pull.parallel-fetches"), s.integer("pull.peer-batch"),
                s.integer("pull.peer-window"), s.size("pull.max-origin-range"), s.duration("pull.lease-time"),
                s.duration("pull.stall-timeout"), s.duration("pull.penalty-time"), Duration.ofMillis(50), s.integer("pull.upload-slots")));
    }

    /** {@code chunker.*}; the normalization level is not a setting. */
    static ChunkerParams chunker(Settings s) {
        return s.get("chunker", x -> new ChunkerParams(Math.toIntExact(s.size("chunker.min")), Math.toIntExact(s.size("chunker.avg")),
                Math.toIntExact(s.size("chunker.max")), ChunkerParams.DEFAULTS.normalization()));
    }

    /** {@code catalog.trusted-keys}. */
    static Optional<Path> trustedKeys(Settings s) {
        return s.optional("catalog.trusted-keys").map(Path::of);
    }

    /** {@code admin.*}; the token file is read here. */
    static NodeConfig.Admin admin(Settings s) {
        Optional<AdminToken> token = s.optional("admin.token-file").map(f -> s.get("admin.token-file", t -> AdminToken.read(Path.of(t))));
        return new NodeConfig.Admin(token, s.size("admin.max-body"));
    }

    /** {@code tls.*}: all three files, readable, or none. */
    static Optional<TlsFiles> tls(Settings s) {
        List<Optional<String>> parts = List.of(s.optional("tls.ca"), s.optional("tls.cert"), s.optional("tls.key"));
        long given = parts.stream().filter(Optional::isPresent).count();
        if (given == 0) {
            return Optional.empty();
        }
        if (given < 3) {
            throw new ConfigException("tls.ca, tls.cert and tls.key go together: give all three for mTLS between peers, or none");
        }
        TlsFiles files = new TlsFiles(Path.of(parts.get(0).get()), Path.of(parts.get(1).get()), Path.of(parts.get(2).get()));
        for (Path p : List.of(files.ca(), files.cert(), files.key())) {
            if (!Files.isReadable(p)) {
                throw new ConfigException("TLS file " + p + " cannot be read");
            }
        }
        return Optional.of(files);
    }

    private static NodeId hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
            h = h.replaceAll("^-+", "");
            return new NodeId(h.isEmpty() ? "node" : h.substring(0, Math.min(63, h.length())));
        } catch (IOException | RuntimeException e) {
            return new NodeId("node");
        }
    }
}

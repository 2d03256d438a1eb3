package dev.chunkmesh.node.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one node, built in code (tests, benches, the demo) and kept as the flags
 * {@link ConfigLoader} reads, so a node built here goes through the same parsing and checks as one
 * started from the command line. Each setting that callers vary has a method; any other goes through
 * {@link #set}, which refuses a key that is not in {@link ConfigKeys#ALL} where it is written instead of
 * when the node starts. Values are checked when loaded, as flags are. Later calls win.
 */
public final class NodeSettings {
    private final Map<String, String> flags = new LinkedHashMap<>();

    /** No settings: every one at its default until set. */
    public NodeSettings() {
    }

    /**
     * Sets {@code key} to {@code value} as a {@code --set key=value} flag would.
     *
     * @throws ConfigException if {@code key} is not a setting of {@link ConfigKeys#ALL} (as {@link ConfigLoader} says of a flag)
     */
    public NodeSettings set(String key, String value) {
        ConfigKeys.requireKnown(key);
        flags.put(key, value);
        return this;
    }

    /** Sets every key of {@code more}, as {@link #set} does (for settings given as text, e.g. on a bench's command line). */
    public NodeSettings setAll(Map<String, String> more) {
        more.forEach(this::set);
        return this;
    }

    /** Sets everything {@code more} sets, over what this sets. */
    public NodeSettings setAll(NodeSettings more) {
        return setAll(more.flags);
    }

    /** A copy that later calls on either do not affect. */
    public NodeSettings copy() {
        return new NodeSettings().setAll(this);
    }

    /** The settings as flags by key, in the order first set; a copy. */
    public Map<String, String> flags() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }

    /** The node's configuration: these settings as flags, no file, no environment. */
    public NodeConfig load() {
        return ConfigLoader.load(Optional.empty(), Map.of(), flags);
    }

    // node

    public NodeSettings name(String name) {
        return set("node.name", name);
    }

    public NodeSettings pop(String pop) {
        return set("node.pop", pop);
    }

    public NodeSettings parentPop(String parentPop) {
        return set("node.parent-pop", parentPop);
    }

    // network

    /** The address of the peer API and Hazelcast ({@code network.bind}). */
    public NodeSettings bind(String address) {
        return set("network.bind", address);
    }

    public NodeSettings registryBind(String address) {
        return set("network.registry-bind", address);
    }

    public NodeSettings adminBind(String address) {
        return set("network.admin-bind", address);
    }

    /** Port of the peer API; 0 for any free port. */
    public NodeSettings peerPort(int port) {
        return set("network.peer-port", Integer.toString(port));
    }

    /** Port of the admin API; 0 for any free port. */
    public NodeSettings adminPort(int port) {
        return set("network.admin-port", Integer.toString(port));
    }

    /** Port of the registry mirror; 0 for any free port. */
    public NodeSettings registryPort(int port) {
        return set("network.registry-port", Integer.toString(port));
    }

    public NodeSettings hazelcastPort(int port) {
        return set("network.hazelcast-port", Integer.toString(port));
    }

    /** Hazelcast members to join, {@code host:port} each. */
    public NodeSettings members(List<String> members) {
        return set("network.members", String.join(",", members));
    }

    // cluster

    public NodeSettings cluster(String name) {
        return set("cluster.name", name);
    }

    public NodeSettings secret(String secret) {
        return set("cluster.secret", secret);
    }

    public NodeSettings heartbeatTtl(Duration ttl) {
        return set("cluster.heartbeat-ttl", Settings.durationText(ttl));
    }

    public NodeSettings memberTimeout(Duration timeout) {
        return set("cluster.member-timeout", Settings.durationText(timeout));
    }

    public NodeSettings mergeInterval(Duration interval) {
        return set("cluster.merge-interval", Settings.durationText(interval));
    }

    // store

    /** The folder of the store ({@code store.data}); a path inside a container is given as text. */
    public NodeSettings data(String folder) {
        return set("store.data", folder);
    }

    public NodeSettings data(Path folder) {
        return data(folder.toString());
    }

    /** Bytes of chunks the store may hold: a size such as {@code 1GiB} or a count of bytes. */
    public NodeSettings capacity(String size) {
        return set("store.capacity", size);
    }

    public NodeSettings fsync(boolean fsync) {
        return set("store.fsync", Boolean.toString(fsync));
    }

    // origin

    /** The default upstream registry ({@code origin.url}). */
    public NodeSettings origin(URI url) {
        return set("origin.url", url.toString());
    }

    public NodeSettings originCredentials(String username, String password) {
        return set("origin.username", username).set("origin.password", password);
    }

    /** One upstream by the host runtimes name ({@code origin.upstreams} of {@code host=URL}). */
    public NodeSettings upstream(String host, URI url) {
        return set("origin.upstreams", host + "=" + url);
    }

    // tiers

    /** Peer API addresses of the upper tier's nodes; this node's POP then never uses the origin. */
    public NodeSettings upperTier(String... peerAddresses) {
        return set("tiers.upper", String.join(",", peerAddresses));
    }

    public NodeSettings upperSecret(String secret) {
        return set("tiers.upper-secret", secret);
    }

    public NodeSettings lowerSecret(String secret) {
        return set("tiers.lower-secret", secret);
    }

    // registry, pull, chunker, admin, catalog

    public NodeSettings accessLog(boolean on) {
        return set("registry.access-log", Boolean.toString(on));
    }

    public NodeSettings uploadSlots(int slots) {
        return set("pull.upload-slots", Integer.toString(slots));
    }

    public NodeSettings peerWindow(int requests) {
        return set("pull.peer-window", Integer.toString(requests));
    }

    public NodeSettings leaseTime(Duration time) {
        return set("pull.lease-time", Settings.durationText(time));
    }

    public NodeSettings stallTimeout(Duration timeout) {
        return set("pull.stall-timeout", Settings.durationText(timeout));
    }

    /** Smallest, average and largest chunk, in bytes. */
    public NodeSettings chunker(long min, long avg, long max) {
        return set("chunker.min", Long.toString(min)).set("chunker.avg", Long.toString(avg)).set("chunker.max", Long.toString(max));
    }

    public NodeSettings adminTokenFile(Path file) {
        return set("admin.token-file", file.toString());
    }

    public NodeSettings trustedKeys(Path keyOrFolder) {
        return set("catalog.trusted-keys", keyOrFolder.toString());
    }
}

package dev.chunkmesh.node;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.origin.NoOrigin;
import dev.chunkmesh.node.origin.Origin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Watches for what an operator must hear about at once, and says it in {@code /healthz}, the log and
 * metrics: configured POP members that answer on their Hazelcast port but are not in this node's
 * cluster (a different {@code cluster.secret} or {@code cluster.name}: the node is outside its POP, and
 * everything it pulls goes to the origin), members none of which answers, and an origin that cannot
 * be reached. {@link #check} blocks (TCP connects, one request to the origin): run it on a thread
 * of its own.
 */
final class Watchdog {
    private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());
    static final int CONNECT_TIMEOUT_MS = 1000;

    /** Whether something listens at an address. */
    @FunctionalInterface
    interface Probe {
        boolean answers(InetSocketAddress address);
    }

    private final List<String> members;
    private final int defaultPort;
    private final InetSocketAddress self;
    private final Supplier<Set<InetSocketAddress>> cluster;
    private final Origin origin;
    private final Probe probe;
    private volatile List<String> outside = List.of();
    private volatile boolean alone;
    private volatile Optional<String> originDown = Optional.empty();

    /**
     * @param members the configured members, {@code host[:port]}
     * @param self this node's own Hazelcast address (left out of the members it checks)
     * @param cluster the addresses of the members of this node's cluster, now
     * @param origin the default origin, asked {@code GET /v2/}
     */
    Watchdog(List<String> members, int defaultPort, InetSocketAddress self, Supplier<Set<InetSocketAddress>> cluster, Origin origin,
             Probe probe) {
        this.members = List.copyOf(members);
        this.defaultPort = defaultPort;
        this.self = Objects.requireNonNull(self, "self");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    static boolean tcpAnswers(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Looks again at the POP's members and the origin; logs what changed. */
    void check() {
        checkMembers();
        checkOrigin();
    }

    private void checkMembers() {
        Set<InetSocketAddress> in = cluster.get();
        List<String> out = new ArrayList<>();
        int others = 0;
        int answering = 0;
        for (String m : members) {
            Optional<InetSocketAddress> a = resolve(m);
            if (a.isEmpty() || a.get().equals(self)) {
                continue;
            }
            others++;
            boolean answers = probe.answers(a.get());
            answering += answers ? 1 : 0;
            if (answers && !in.contains(a.get())) {
                out.add(m);
            }
        }
        if (!out.equals(outside)) {
            if (!out.isEmpty()) {
                LOG.severe("POP members " + out + " answer on their Hazelcast port but are not in this node's cluster: their cluster.secret"
                        + " or cluster.name differs from this node's. Until that is fixed, this node and they do not share chunks, and"
                        + " each side takes from the origin what the other already holds.");
            } else if (!outside.isEmpty()) {
                LOG.info("every answering member of network.members is in this node's cluster again");
            }
        }
        outside = List.copyOf(out);
        boolean nowAlone = others > 0 && answering == 0 && in.size() <= 1;
        if (nowAlone && !alone) {
            LOG.warning("none of the " + others + " other members in network.members answers on its Hazelcast port: this node is a POP"
                    + " of one until they start");
        }
        alone = nowAlone;
    }

    private void checkOrigin() {
        if (origin instanceof NoOrigin) {
            return;
        }
        String what = origin.source() == SourceKind.PARENT ? "the upper tier" : "the origin";
        Optional<String> now;
        try {
            Origin.Access a = origin.access("", "", Optional.empty());
            now = a.status() >= 500 ? Optional.of(what + " answers " + a.status() + " to GET /v2/") : Optional.empty();
        } catch (IOException | RuntimeException e) {
            now = Optional.of(what + " cannot be reached: " + e.getMessage());
        }
        if (!now.equals(originDown)) {
            if (now.isPresent()) {
                LOG.warning(now.get() + "; pulls of what the POP does not hold fail with 502 until it is back");
            } else {
                LOG.info(what + " answers again");
            }
        }
        originDown = now;
    }

    /** Configured members that answer but are not in this node's cluster, as of the last check. */
    int outsideMembers() {
        return outside.size();
    }

    /** Whether the origin answered the last check (true when the node has none). */
    boolean originReachable() {
        return originDown.isEmpty();
    }

    /** What is wrong, one sentence each, as of the last check; empty when all is well. */
    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!outside.isEmpty()) {
            p.add("members " + outside + " of network.members answer but did not admit this node: a different cluster.secret or"
                    + " cluster.name");
        }
        if (alone) {
            p.add("no member of network.members answers: this node is a POP of one");
        }
        originDown.ifPresent(p::add);
        return p;
    }

    private Optional<InetSocketAddress> resolve(String member) {
        String host = member;
        int port = defaultPort;
        int colon = member.lastIndexOf(':');
        if (colon > 0 && member.indexOf(':') == colon) {
            host = member.substring(0, colon);
            try {
                port = Integer.parseInt(member.substring(colon + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}

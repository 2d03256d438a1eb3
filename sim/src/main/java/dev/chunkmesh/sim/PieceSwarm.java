package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code piece-p2p} with {@code engine.piece-conns} set: fixed-size pieces swarmed as Kraken's agents do,
 * an opt-in alternative to {@link PieceP2p}'s fleet-wide tracker (3-4x its simulation time, for the 30
 * transfers per node). Each node keeps up to {@code engine.piece-conns} connections (Kraken's
 * {@code max_open_conn}, 10 by default), a connection counting against both ends. It
 * opens them from a tracker handout of up to {@value #HANDOUT} random peers of the torrent (every node that
 * has started, as agents announce when they start) plus the origin, and announces again every {@value #ANNOUNCE_SECONDS} s while it has room. The origin is a seeder under the
 * same connection limit per server ({@code origin.count} servers pooled: they take that many times the connections, on
 * one link of their summed bandwidth), as Kraken's origins run the same scheduler. Over each connection a node keeps up to
 * {@code engine.piece-pipeline} requests in flight (Kraken's {@code pipeline_limit}, 3), each for a random
 * piece the peer holds that the node neither holds nor has asked anyone for (Kraken's default piece policy).
 * A piece is stored whole before it is passed on. Not modelled: endgame duplicates, idle-connection
 * timeouts, closing connections between finished peers.
 */
final class PieceSwarm extends Strategy {
    /** Peers in one tracker answer (Kraken's {@code announce_limit}). */
    static final int HANDOUT = 50;
    /** Seconds between a node's announces while it has room for connections (Kraken's {@code announce_interval}). */
    static final double ANNOUNCE_SECONDS = 3;

    private final int maxConns;
    private final int pipeline;
    /** Each node's connected peers ({@link Transfer#ORIGIN} for the origin); the first {@code conns[node]} are valid. */
    private final int[][] peers;
    /** Requests in flight from a node over each of its connections. */
    private final int[][] asked;
    private final int[] conns;
    private int originConns;
    private final int[] cursor;
    private final double[] nextAnnounce;
    /** Pulling nodes by start time, and their start times: the tracker knows a node from its start (it announces then). */
    private final int[] byStart;
    private final double[] startOf;
    private final BitSet scratch = new BitSet();
    private final BitSet all;

    PieceSwarm(World w, Strategies.Cut c) {
        super(w, c.bytes(), c.blob());
        this.maxConns = s.engine().pieceConns();
        this.pipeline = s.engine().piecePipeline();
        this.peers = new int[w.nodes][maxConns];
        this.asked = new int[w.nodes][maxConns];
        this.conns = new int[w.nodes];
        this.cursor = new int[w.nodes];
        this.nextAnnounce = new double[w.nodes];
        double[] start = Waves.startTimes(w);
        this.byStart = IntStream.range(0, w.nodes).filter(i -> w.target[i]).boxed().sorted(Comparator.comparingDouble(i -> start[i]))
                .mapToInt(Integer::intValue).toArray();
        this.startOf = Arrays.stream(byStart).mapToDouble(i -> start[i]).toArray();
        this.all = new BitSet(unitBytes.length);
        all.set(0, unitBytes.length);
    }

    @Override
    String name() {
        return "piece-p2p";
    }

    @Override
    int concurrency() {
        return maxConns * pipeline;
    }

    @Override
    Transfer next(int node, double t) {
        if (t >= nextAnnounce[node] && conns[node] < maxConns) {
            announce(node, t);
        }
        int n = conns[node];
        for (int k = 0; k < n; k++) {
            int j = (cursor[node] + k) % n;
            int peer = peers[node][j];
            if (asked[node][j] >= pipeline || (peer >= 0 && (dead[peer] || distrusted.get(node).contains(peer)))) {
                continue;
            }
            int piece = randomWanted(node, peer);
            if (piece < 0) {
                continue;
            }
            asked[node][j]++;
            cursor[node] = (j + 1) % n;
            Transfer.From from = peer < 0 ? Transfer.From.ORIGIN : w.pop[peer] == w.pop[node] ? Transfer.From.PEER : Transfer.From.OTHER_POP;
            Transfer tr = start(node, piece, peer, from, t);
            tr.request = j;
            return tr;
        }
        return null;
    }

    /** A random piece {@code peer} holds that {@code node} neither holds nor has asked for; -1 if none. */
    private int randomWanted(int node, int peer) {
        scratch.clear();
        scratch.or(peer < 0 ? all : held[peer]);
        scratch.andNot(held[node]);
        scratch.andNot(inflight[node]);
        int count = scratch.cardinality();
        if (count == 0) {
            return -1;
        }
        int i = scratch.nextSetBit(0);
        for (int skip = rnd.nextInt(count); skip > 0; skip--) {
            i = scratch.nextSetBit(i + 1);
        }
        return i;
    }

    /**
     * The tracker's answer, up to {@value #HANDOUT} random peers of the torrent (the nodes started by now) and the
     * origin, in random order; the node connects to them while both ends have room.
     */
    private void announce(int node, double t) {
        nextAnnounce[node] = t + ANNOUNCE_SECONDS;
        int started = 0;
        while (started < startOf.length && startOf[started] <= t) {
            started++;
        }
        List<Integer> handout = new ArrayList<>();
        handout.add(Transfer.ORIGIN);
        for (int k = 0; k < HANDOUT && started > 1; k++) {
            handout.add(byStart[rnd.nextInt(started)]);
        }
        for (int k = handout.size() - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            handout.set(j, handout.set(k, handout.get(j)));
        }
        for (int peer : handout) {
            if (conns[node] >= maxConns) {
                return;
            }
            connect(node, peer);
        }
    }

    private void connect(int node, int peer) {
        if (peer == node || (peer >= 0 && (dead[peer] || conns[peer] >= maxConns)) || (peer < 0 && originConns >= maxConns * s.origin().count())) {
            return;
        }
        for (int k = 0; k < conns[node]; k++) {
            if (peers[node][k] == peer) {
                return;
            }
        }
        peers[node][conns[node]++] = peer;
        if (peer >= 0) {
            peers[peer][conns[peer]++] = node;
        } else {
            originConns++;
        }
    }

    /** Connections {@code node} has now; the origin's for {@link Transfer#ORIGIN}. */
    int connections(int node) {
        return node < 0 ? originConns : conns[node];
    }

    @Override
    void finished(Transfer tr, double t, boolean ok) {
        if (tr.node >= 0) {
            asked[tr.node][tr.request]--;
        }
        super.finished(tr, t, ok);
    }
}

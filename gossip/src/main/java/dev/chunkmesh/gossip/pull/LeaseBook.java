package dev.chunkmesh.gossip.pull;

import dev.chunkmesh.store.Recipe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One pull's single-flight leases, as its {@link PullMachine} keeps them: the chunks whose leases are being
 * asked for, those held, and those another node held when last asked (with when to ask again). Not
 * thread-safe, like the machine.
 */
final class LeaseBook {
    private final Recipe recipe;
    private final PullRules rules;
    private final BitSet asked = new BitSet();
    private final BitSet held = new BitSet();
    /** By chunk, when its lease may be asked for again; null if it does not wait. */
    private final Instant[] wait;
    private final long largestChunk;

    LeaseBook(Recipe recipe, PullRules rules) {
        this.recipe = recipe;
        this.rules = rules;
        this.wait = new Instant[recipe.chunks().size()];
        this.largestChunk = recipe.chunks().stream().mapToLong(c -> c.length()).max().orElse(0);
    }

    /** Leases of {@code chunks} are being asked for. */
    void asking(List<Integer> chunks) {
        for (int i : chunks) {
            asked.set(i);
            wait[i] = null;
        }
    }

    /** The lease store answered for {@code chunks}: {@code granted} are held now, the others wait until {@code retry}. */
    void answered(List<Integer> chunks, PullEvent.LeasesAnswered l, Instant retry) {
        for (int i : chunks) {
            asked.clear(i);
            if (l.granted().contains(i)) {
                held.set(i);
            } else {
                wait[i] = retry;
            }
        }
    }

    /** The lease store did not answer for {@code chunks}: they may be asked for again. */
    void unanswered(List<Integer> chunks) {
        chunks.forEach(asked::clear);
    }

    /** Chunk {@code i} is stored: nothing waits on its lease any more. */
    void stored(int i) {
        wait[i] = null;
    }

    /** The leases of {@code chunks} were given back. */
    void released(List<Integer> chunks) {
        chunks.forEach(held::clear);
    }

    /** Gives back every lease held; returns their chunks. */
    List<Integer> releaseAll() {
        List<Integer> mine = held.stream().boxed().toList();
        held.clear();
        return mine;
    }

    /** Chunks held under lease. */
    BitSet held() {
        return held;
    }

    /** Marks in {@code busy} the chunks whose leases are asked for or held. */
    void markBusy(BitSet busy) {
        busy.or(asked);
        busy.or(held);
    }

    /** Whether another node held chunk {@code i}'s lease when last asked, and it is not yet time to ask again. */
    boolean waiting(int i, Instant now) {
        Instant until = wait[i];
        return until != null && now.isBefore(until);
    }

    /**
     * Origin range requests that may start beside {@code originRequests}: the window, less the ranges whose
     * chunks are leased and neither asked for nor stored.
     */
    int room(int originRequests, BitSet inFlight, BitSet stored) {
        int window = rules.originWindow();
        if (originRequests >= window) {
            return 0;
        }
        BitSet pending = (BitSet) held.clone();
        pending.andNot(inFlight);
        pending.andNot(stored);
        return window - originRequests - OriginRanges.of(pending, recipe.chunks(), rules.maxOriginRangeBytes(), window).size();
    }

    /**
     * Bytes of chunks whose leases may be taken now: what {@code room} ranges (from {@link #room}) can fetch (a
     * range holds at least one chunk), so that none lapses while it waits.
     */
    long budget(int room) {
        return room <= 0 ? 0 : room * Math.max(rules.maxOriginRangeBytes(), largestChunk);
    }

    /**
     * Of {@code wanted}, in order, the chunks to ask leases for: whole origin ranges, no more bytes than
     * {@code budget}, and no more than {@code room} ranges (from {@link #room}). A pull so never holds the leases
     * of more scattered chunks than it can fetch at once.
     */
    List<Integer> leasable(List<Integer> wanted, long budget, int room) {
        BitSet want = new BitSet(recipe.chunks().size());
        wanted.forEach(want::set);
        List<Integer> out = new ArrayList<>();
        long used = 0;
        for (OriginRanges.Run run : OriginRanges.of(want, recipe.chunks(), rules.maxOriginRangeBytes(), Math.max(0, room))) {
            if (used >= budget) {
                break;
            }
            out.addAll(run.chunks());
            used += run.bytes();
        }
        return out;
    }
}

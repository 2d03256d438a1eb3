package dev.chunkmesh.gossip;

import dev.chunkmesh.store.Digest;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link Availability} must do; subclasses supply a fresh, empty one. */
public abstract class AvailabilityContract {

    protected abstract Availability newAvailability() throws Exception;

    private final Digest blob = Digest.sha256("blob".getBytes());
    private final NodeInfo a = Nodes.popNode("a", "pop1");
    private final NodeInfo b = Nodes.popNode("b", "pop1");

    @Test
    void nobodyHoldsAnUnknownBlob() throws Exception {
        assertTrue(newAvailability().holders(blob).isEmpty());
    }

    @Test
    void returnsWhatEachHolderAdvertised() throws Exception {
        Availability av = newAvailability();
        av.advertise(a, blob, ChunkBitmap.full(4));
        av.advertise(b, blob, Nodes.bits(4, 0, 2));
        Map<NodeInfo, ChunkBitmap> holders = av.holders(blob);
        assertEquals(2, holders.size());
        assertEquals(ChunkBitmap.full(4), holders.get(a));
        assertEquals(Nodes.bits(4, 0, 2), holders.get(b));
    }

    @Test
    void aNewAdvertReplacesTheOldOne() throws Exception {
        Availability av = newAvailability();
        av.advertise(b, blob, Nodes.bits(4, 0, 1));
        av.advertise(b, blob, Nodes.bits(4, 0, 3));
        assertEquals(3, av.holders(blob).get(b).count());
    }

    @Test
    void withdrawnHoldersDisappear() throws Exception {
        Availability av = newAvailability();
        Digest other = Digest.sha256("other".getBytes());
        av.advertise(a, blob, ChunkBitmap.full(4));
        av.advertise(a, other, ChunkBitmap.full(2));
        av.advertise(b, blob, ChunkBitmap.full(4));
        av.withdraw(b.id(), blob);
        assertEquals(Map.of(a, ChunkBitmap.full(4)), av.holders(blob));
        av.withdrawAll(a.id());
        assertTrue(av.holders(blob).isEmpty());
        assertTrue(av.holders(other).isEmpty());
    }

    @Test
    void aWatcherHearsClaimsOnItsBlobUntilItStops() throws Exception {
        Availability av = newAvailability();
        Semaphore heard = new Semaphore(0);
        Availability.Watch watch = av.watch(blob, heard::release);
        av.advertise(a, blob, ChunkBitmap.full(4));
        assertTrue(heard.tryAcquire(10, TimeUnit.SECONDS), "an advert is heard");
        av.withdraw(a.id(), blob);
        assertTrue(heard.tryAcquire(10, TimeUnit.SECONDS), "a withdrawal is heard");
        watch.close();
        heard.drainPermits();
        av.advertise(b, blob, ChunkBitmap.full(4));
        av.advertise(b, Digest.sha256("other".getBytes()), ChunkBitmap.full(4));
        Thread.sleep(300);
        assertEquals(0, heard.availablePermits(), "nothing heard after the watch is closed");
    }
}

package dev.chunkmesh.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleTimeoutInputStreamTest {

    @Test
    void aBodyThatStopsMidWayFailsTheWaitingReadSayingWhy() throws Exception {
        PipedOutputStream server = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(server, 1024);
        server.write(new byte[] {1, 2, 3});
        try (IdleTimeoutInputStream in = new IdleTimeoutInputStream(body, Duration.ofMillis(300), "blob b from r")) {
            assertArrayEquals(new byte[] {1, 2, 3}, in.readNBytes(3));
            long t0 = System.nanoTime();
            InterruptedIOException e = assertThrows(InterruptedIOException.class, in::read);
            double waited = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("blob b from r: no bytes for 0 s"), e.getMessage());
            assertTrue(waited >= 0.25 && waited < 5, "gave up after the idle time, waited " + waited);
        }
        assertFalse(Thread.currentThread().isInterrupted(), "the reader's interrupt flag is cleared");
    }

    @Test
    void aSlowBodyThatKeepsSendingIsReadToTheEnd() throws Exception {
        PipedOutputStream server = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(server, 1024);
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    server.write(i);
                    server.flush();
                    Thread.sleep(100);
                }
                server.close();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        try (IdleTimeoutInputStream in = new IdleTimeoutInputStream(body, Duration.ofMillis(400), "blob")) {
            assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, in.readAllBytes());
        }
        sender.join();
    }
}

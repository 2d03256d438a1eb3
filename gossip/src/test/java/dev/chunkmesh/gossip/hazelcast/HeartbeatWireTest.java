package dev.chunkmesh.gossip.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.Nodes;
import dev.chunkmesh.gossip.Seal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Heartbeats of v2 nodes that still send the retired upload rate and of nodes that no longer do read each other. */
class HeartbeatWireTest {
    private static final Seal SEAL = Seal.of("the POP's cluster secret", "gossip");
    private static final NodeRecord NODE = NodeRecord.of(Nodes.popNode("a", "pop1"));

    /** A heartbeat as v2 nodes sent it before: with an upload rate (always 0), sealed with it. Its name is as long as Beat's. */
    record V2Beat(String name, NodeRecord node, long heartbeatMillis, long freeBytes, int activeTransfers,
            long uploadBytesPerSecond, String member, String tag) implements Serializable {
        private static final long serialVersionUID = 4L;

        String[] fields() {
            return new String[] {"beat", name, node.pop(), node.tier(), node.parentPop(), node.peerAddress(), Long.toString(heartbeatMillis),
                Long.toString(freeBytes), Integer.toString(activeTransfers), Long.toString(uploadBytesPerSecond), member};
        }
    }

    @Test
    void aBeatThatStillCarriesTheUploadRateIsReadAndItsSealChecks() throws Exception {
        V2Beat unsealed = new V2Beat("a", NODE, 1234, 99, 2, 0, "member-1", null);
        V2Beat old = new V2Beat("a", NODE, 1234, 99, 2, 0, "member-1", SEAL.tag(unsealed.fields()));

        HazelcastMembership.Beat read = assertInstanceOf(HazelcastMembership.Beat.class, asIfSentAs(old, HazelcastMembership.Beat.class));

        assertTrue(SEAL.check(read.tag(), read.fields()), "the seal over the old fields checks");
        assertEquals(new Health(Nodes.popNode("a", "pop1"), Instant.ofEpochMilli(1234), 99, 2), read.health());
    }

    @Test
    void aBeatWithoutTheUploadRateIsReadByANodeThatExpectsItAndItsSealChecks() throws Exception {
        HazelcastMembership.Beat now = new HazelcastMembership.Beat("a", NODE, 1234, 99, 2, "member-1", null).sealed(SEAL);

        V2Beat read = assertInstanceOf(V2Beat.class, asIfSentAs(now, V2Beat.class));

        assertEquals(0, read.uploadBytesPerSecond());
        assertTrue(SEAL.check(read.tag(), read.fields()), "the old node's seal check passes");
    }

    /** {@code o} serialized, then read back as class {@code as} (a class of the same name length), as a node of the other version reads it. */
    private static Object asIfSentAs(Object o, Class<?> as) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        byte[] stream = bytes.toByteArray();
        byte[] from = o.getClass().getName().getBytes(StandardCharsets.UTF_8);
        byte[] to = as.getName().getBytes(StandardCharsets.UTF_8);
        assertEquals(from.length, to.length, "class names of the same length");
        int at = indexOf(stream, from);
        assertTrue(at >= 0, "the stream names its class");
        System.arraycopy(to, 0, stream, at, to.length);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
            return in.readObject();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package dev.chunkmesh.gossip.hostile;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** A serializable class of no gossip package whose deserialization leaves a trace: what a gadget chain starts from. */
public final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    /** How many times any instance was deserialized in this JVM. */
    public static final AtomicInteger READ = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        READ.incrementAndGet();
    }
}

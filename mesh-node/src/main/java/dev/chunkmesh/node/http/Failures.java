package dev.chunkmesh.node.http;

import java.util.concurrent.CompletionException;

/** What the HTTP surfaces share when they turn a failure into a status. */
public final class Failures {
    private Failures() {
    }

    /** The failure itself: {@code t} with every {@link CompletionException} around it taken off. */
    public static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

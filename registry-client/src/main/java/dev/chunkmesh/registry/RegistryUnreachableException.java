package dev.chunkmesh.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** The registry could not be reached at all (no connection, or no answer in time), after every retry. */
public final class RegistryUnreachableException extends RegistryException {

    public RegistryUnreachableException(String message, IOException cause) {
        super(0, message);
        initCause(cause);
    }

    /** What went wrong on the way to the registry, in words an operator can act on (the JDK often gives no message). */
    static String describe(IOException e) {
        boolean timedOut = e instanceof SocketTimeoutException;
        if (timedOut && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect")) {
            return "connecting timed out (is the registry's address right, and reachable from this host?)";
        }
        if (e instanceof ConnectException) {
            return "cannot connect: nothing answers there (connection refused or no route)";
        }
        if (timedOut) {
            return "the registry did not answer in time";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}

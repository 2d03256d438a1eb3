package dev.chunkmesh.registry;

import java.io.IOException;

/** The registry could not be reached at all (no connection, or no answer in time), after every retry. */
public final class RegistryUnreachableException extends RegistryException {

    public RegistryUnreachableException(String message, IOException cause) {
        super(0, message);
        initCause(cause);
    }
}

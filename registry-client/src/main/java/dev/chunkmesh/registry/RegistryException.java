package dev.chunkmesh.registry;

import java.io.IOException;

/** A registry answered with an error, or with something that is not what was asked for. */
public class RegistryException extends IOException {
    private final int status;

    public RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when the failure was not a status. */
    public int status() {
        return status;
    }
}

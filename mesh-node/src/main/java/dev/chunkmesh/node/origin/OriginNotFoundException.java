package dev.chunkmesh.node.origin;

import java.io.IOException;

/**
 * The origin (or the upper tier standing in for it) answered that it does not have the manifest or
 * blob asked for: an answer, not a failure to reach it. The message is the origin's own account.
 */
public final class OriginNotFoundException extends IOException {
    public OriginNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}

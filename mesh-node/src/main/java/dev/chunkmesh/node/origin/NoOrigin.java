package dev.chunkmesh.node.origin;

import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The origin of a node configured without one: every request fails, saying so. */
public final class NoOrigin implements Origin {

    /** Raised when a pull needs the origin and the node has none. */
    public static final class NoOriginException extends IOException {
        NoOriginException(String what) {
            super("this node has no origin registry configured (origin.url), and " + what + " is held by no peer");
        }
    }

    @Override
    public ImageSource.Fetched manifest(String repository, String reference) throws IOException {
        throw new NoOriginException("manifest " + repository + ":" + reference);
    }

    @Override
    public ImageSource.Fetched manifest(String repository, String reference, String accept) throws IOException {
        throw new NoOriginException("manifest " + repository + ":" + reference);
    }

    /** With no origin there is nothing to ask: whatever the POP holds is served (see the mirror's access notes). */
    @Override
    public Access access(String repository, String path, Optional<String> authorization) {
        return new Access(200, Optional.empty());
    }

    @Override
    public long size(String repository, Digest blob) throws IOException {
        throw new NoOriginException("blob " + blob);
    }

    @Override
    public InputStream blobFrom(String repository, Digest blob, long offset) throws IOException {
        throw new NoOriginException("blob " + blob);
    }

    @Override
    public byte[] range(String repository, Digest blob, long offset, int length) throws IOException {
        throw new NoOriginException("blob " + blob);
    }
}

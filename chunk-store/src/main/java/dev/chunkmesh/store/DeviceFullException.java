package dev.chunkmesh.store;

/**
 * The device under a store ran out of space before the store reached its configured capacity, as
 * when other files fill a shared disk. A store that sees this evicts and lowers its capacity to what
 * the device holds; callers see it only when even that made no room.
 */
public final class DeviceFullException extends StoreFullException {
    public DeviceFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e}, or one of its causes, is the operating system saying the device (or the quota on it) is full. */
    public static boolean isDeviceFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}

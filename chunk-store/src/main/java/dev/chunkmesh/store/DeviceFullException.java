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
}

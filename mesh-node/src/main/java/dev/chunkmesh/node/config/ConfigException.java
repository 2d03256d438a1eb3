package dev.chunkmesh.node.config;

/** A configuration value that cannot be used; the message names the key and where it came from. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}

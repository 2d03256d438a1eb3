package dev.chunkmesh.catalog.json;

/** A JSON document that is malformed or does not have the expected shape; the message says where. */
public class JsonFormatException extends IllegalArgumentException {
    public JsonFormatException(String message) {
        super(message);
    }

    public JsonFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

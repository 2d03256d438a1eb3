package dev.chunkmesh.node.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a blob, {@code [start, end)}, from an HTTP {@code Range} header. A header
 * this server does not do (several ranges, other units) is ignored, as HTTP allows, and the whole blob
 * is sent; a range that cannot be satisfied is refused with 416.
 */
public record ByteRange(long start, long end) {
    private static final Pattern ONE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    public long length() {
        return end - start;
    }

    /** The range to send of a blob of {@code size} bytes, or empty for the whole blob. */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = ONE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        long start;
        long end;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            start = Math.max(0, size - suffix);
            end = size;
            if (suffix == 0) {
                throw unsatisfiable(header, size);
            }
        } else {
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? size : Math.min(size, Long.parseLong(m.group(2)) + 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                throw unsatisfiable(header, size);
            }
        }
        if (start >= size) {
            throw unsatisfiable(header, size);
        }
        return Optional.of(new ByteRange(start, end));
    }

    private static RegistryError unsatisfiable(String header, long size) {
        return new RangeNotSatisfiable("range '" + header + "' is outside the blob's " + size + " bytes", size);
    }

    /** 416, with the blob's size for the {@code Content-Range: bytes *}{@code /size} header. */
    public static final class RangeNotSatisfiable extends RegistryError {
        private final long size;

        RangeNotSatisfiable(String message, long size) {
            super(416, "SIZE_INVALID", message);
            this.size = size;
        }

        public long size() {
            return size;
        }
    }
}

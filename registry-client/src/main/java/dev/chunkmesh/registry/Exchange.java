package dev.chunkmesh.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.HttpsURLConnection;

/**
 * One HTTP/1.1 request over the JDK's blocking {@link HttpURLConnection}: a body is read straight from the
 * socket into the caller's buffer, with no selector thread and no copy through queued buffers (the JDK's
 * {@code java.net.http} client took four to eight times the CPU for the same blob, see BENCHMARKS.md).
 * Connections are kept alive between requests to the same host once a body has been read to its end.
 */
final class Exchange {

    private static final int MAX_REDIRECTS = 5;
    /** What a registry's access log shows for the mesh's requests. */
    static final String USER_AGENT = "chunk-mesh";

    /**
     * Idle connections the JDK keeps per host, unless the JVM was given {@code http.maxConnections}: its default of 5
     * would close and open again (a TLS handshake each, over a WAN to the origin) the connections of a node's parallel
     * range requests and blob streams. Read by the JDK when it first keeps a connection.
     */
    static final int KEPT_PER_HOST = 32;

    static {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(KEPT_PER_HOST));
        }
    }

    private Exchange() {
    }

    /**
     * A request: {@code headers} go wherever it is redirected; {@code credentials} (Authorization, a
     * signature) only to the host it was first sent to. {@code readTimeout} bounds the wait for the
     * answer and for each read of its body; {@code what} names the body in the error when a read times out.
     */
    record Request(String method, URI uri, Map<String, String> headers, Map<String, String> credentials, Duration readTimeout,
                   String what) {
        Request {
            headers = Map.copyOf(headers);
            credentials = Map.copyOf(credentials);
        }
    }

    /** An answer whose body is unread: read it to its end, close it, or {@link #discard()} it. */
    record Answer(int statusCode, HttpURLConnection connection, InputStream body) {

        /** The answer {@code c} got, its body (the error body from 400 on) named after {@code request} when a read times out. */
        static Answer of(HttpURLConnection c, Request request) throws IOException {
            int status = c.getResponseCode();
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Answer(status, c, body == null ? InputStream.nullInputStream() : new TimeoutNamed(body, request));
        }

        /**
         * The first value of a header, by case-insensitive name ({@link HttpURLConnection#getHeaderField(String)}
         * gives the last, which matters for a registry that offers several {@code WWW-Authenticate} challenges).
         */
        Optional<String> header(String name) {
            for (int i = 1; ; i++) {
                String value = connection.getHeaderField(i);
                if (value == null) {
                    return Optional.empty();
                }
                if (name.equalsIgnoreCase(connection.getHeaderFieldKey(i))) {
                    return Optional.of(value);
                }
            }
        }

        OptionalLong headerLong(String name) {
            try {
                return header(name).map(v -> OptionalLong.of(Long.parseLong(v.strip()))).orElse(OptionalLong.empty());
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        /** Reads a little of a body that is not wanted, so its connection can be used again, and closes it. */
        void discard() {
            try (InputStream in = body) {
                in.readNBytes(64 * 1024);
            } catch (IOException ignored) {
                // only freeing the connection
            }
        }
    }

    /**
     * Sends {@code request}, following redirects as {@code settings} say; an {@link IOException} means no
     * answer came (the host could not be reached, or the connection failed before a status line).
     */
    static Answer send(HttpSettings settings, Request request) throws IOException {
        URI uri = request.uri();
        boolean sameHost = true;
        for (int hop = 0; ; hop++) {
            Answer answer = Answer.of(open(settings, uri, request, sameHost), request);
            int status = answer.statusCode();
            Optional<String> location = Optional.ofNullable(answer.connection().getHeaderField("Location"));
            boolean redirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && location.isPresent() && settings.followRedirects() && hop < MAX_REDIRECTS
                    && (request.method().equals("GET") || request.method().equals("HEAD"));
            URI next = redirect ? resolve(uri, location.get()) : null;
            if (next == null || ("https".equals(uri.getScheme()) && !"https".equals(next.getScheme()))
                    || !("http".equals(next.getScheme()) || "https".equals(next.getScheme()))) {
                return answer;
            }
            answer.discard();
            sameHost = sameHost && Objects.equals(next.getRawAuthority(), request.uri().getRawAuthority());
            uri = next;
        }
    }

    /** Where a {@code Location} leads from {@code uri}; null when it is not a URI (the redirect is then answered as it is). */
    private static URI resolve(URI uri, String location) {
        try {
            return uri.resolve(location.strip());
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    private static HttpURLConnection open(HttpSettings settings, URI uri, Request request, boolean sameHost) throws IOException {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IOException("not an http or https URL: " + uri);
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(); // the JVM's proxy settings, as before
        if (c instanceof HttpsURLConnection https && settings.tls().isPresent()) {
            https.setSSLSocketFactory(settings.tls().get());
        }
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(Math.toIntExact(Math.max(1, settings.connectTimeout().toMillis())));
        c.setReadTimeout(Math.toIntExact(Math.max(1, Math.min(Integer.MAX_VALUE, request.readTimeout().toMillis()))));
        c.setRequestMethod(request.method());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", USER_AGENT);
        headers.putAll(request.headers());
        if (sameHost) {
            headers.putAll(request.credentials());
        }
        headers.forEach(c::setRequestProperty);
        return c;
    }

    /** A body whose read timeout, when it fires, says how long nothing came. */
    private static final class TimeoutNamed extends FilterInputStream {
        private final Request request;

        TimeoutNamed(InputStream in, Request request) {
            super(in);
            this.request = request;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SocketTimeoutException e) {
                throw stalled(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw stalled(e);
            }
        }

        private InterruptedIOException stalled(SocketTimeoutException e) {
            InterruptedIOException out = new InterruptedIOException(request.what() + ": no bytes for "
                    + request.readTimeout().toSeconds() + " s, gave up");
            out.initCause(e);
            return out;
        }
    }
}

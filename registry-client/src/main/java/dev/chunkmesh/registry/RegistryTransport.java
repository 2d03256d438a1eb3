package dev.chunkmesh.registry;

import dev.chunkmesh.catalog.oci.MediaTypes;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * How {@link RegistryClient} talks to one registry: requests under its base URI, signed, answered
 * challenges kept per scope, and retried with doubling backoff on connection errors and 5xx answers.
 * A 200 or 206 is returned with its body unread; a 404 becomes {@link FileNotFoundException}, any
 * other refusal a {@link RegistryException}, and a registry never reached a
 * {@link RegistryUnreachableException}.
 */
final class RegistryTransport {

    private final URI base;
    private final Optional<Credentials> credentials;
    private final HttpSettings http;
    private final int attempts;
    private final Duration backoff;
    private final Duration readTimeout;
    private final RegistryClient.Signer signer;
    private final ChallengeAnswerer auth;
    private final LongAdder retries = new LongAdder();

    RegistryTransport(URI base, Optional<Credentials> credentials, HttpSettings http, int attempts, Duration backoff,
                      Duration readTimeout, RegistryClient.Signer signer) {
        String scheme = Objects.requireNonNull(base, "base").getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("registry URL must start with http:// or https://, got " + base);
        }
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http = Objects.requireNonNull(http, "http");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1");
        }
        this.attempts = attempts;
        this.backoff = backoff;
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.auth = new ChallengeAnswerer(credentials, http);
    }

    /** A transport to the same registry with {@code signer}, no answered challenges and no retries counted yet. */
    RegistryTransport withSigner(RegistryClient.Signer signer) {
        return new RegistryTransport(base, credentials, http, attempts, backoff, readTimeout, signer);
    }

    /** The same, waiting at most {@code readTimeout} for an answer and for each read of a body. */
    RegistryTransport withReadTimeout(Duration readTimeout) {
        return new RegistryTransport(base, credentials, http, attempts, backoff, readTimeout, signer);
    }

    /** Requests sent again after a connection error or a 5xx. */
    long retries() {
        return retries.sum();
    }

    /** See {@link RegistryClient#access}: one signed HEAD with the given authorization, no retries. */
    RegistryClient.Access access(String target, Optional<String> authorization) throws IOException {
        URI uri = at(target);
        Exchange.Request request = new Exchange.Request("HEAD", uri,
                Map.of("Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS) + ", */*"), credentials("HEAD", uri, authorization),
                Duration.ofSeconds(20), "HEAD " + uri);
        try {
            Exchange.Answer r = Exchange.send(http, request);
            r.body().close();
            return new RegistryClient.Access(r.statusCode(), r.header("WWW-Authenticate"));
        } catch (IOException e) {
            throw new RegistryUnreachableException("HEAD " + uri + ": " + RegistryUnreachableException.describe(e), e);
        }
    }

    /** GET with auth and retries. */
    Exchange.Answer get(String repository, String path, String accept) throws IOException {
        return get(repository, path, accept, null);
    }

    /** GET with auth and retries and, unless {@code range} is null, a {@code Range} header. */
    Exchange.Answer get(String repository, String path, String accept, String range) throws IOException {
        return request("GET", repository, path, accept, range);
    }

    /** {@code method} on {@code path} (starting with {@code /v2/}) with the pull scope of {@code repository}. */
    Exchange.Answer request(String method, String repository, String path, String accept, String range) throws IOException {
        String scope = "repository:" + repository + ":pull";
        URI uri = at(path);
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                retries.increment();
                sleep(backoff.multipliedBy(1L << (attempt - 2)));
            }
            Exchange.Answer r;
            try {
                r = authorizedSend(method, uri, accept, scope, range);
            } catch (RegistryException e) {
                throw e;
            } catch (IOException e) {
                last = new RegistryUnreachableException(method + " " + uri + ": " + RegistryUnreachableException.describe(e), e);
                continue;
            }
            int status = r.statusCode();
            if (status == 200 || status == 206) {
                return r;
            }
            String body = errorBody(r);
            if (status == 404) {
                throw new FileNotFoundException(repository + ": " + uri.getPath() + " not found" + body);
            }
            RegistryException refused = new RegistryException(status, method + " " + uri + " answered " + status + body);
            if (status < 500) {
                throw refused;
            }
            last = refused;
        }
        throw last;
    }

    /** {@code path} (starting with {@code /v2/}) under the base, its own path kept. */
    private URI at(String path) {
        return URI.create(base + path);
    }

    /** Sends the request with the cached authorization; on a 401, answers the challenge once and sends it again. */
    private Exchange.Answer authorizedSend(String method, URI uri, String accept, String scope, String range) throws IOException {
        Exchange.Answer r = send(method, uri, accept, auth.cached(scope), range);
        if (r.statusCode() != 401) {
            return r;
        }
        String challenge = r.header("WWW-Authenticate").orElse("");
        r.discard();
        return send(method, uri, accept, auth.answer(challenge, scope), range);
    }

    private Exchange.Answer send(String method, URI uri, String accept, String authorization, String range) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", accept);
        if (range != null) {
            headers.put("Range", range);
        }
        return Exchange.send(http, new Exchange.Request(method, uri, headers, credentials(method, uri, Optional.ofNullable(authorization)),
                readTimeout, method + " " + uri));
    }

    /** The headers that go only to the registry's own host: the Authorization, and the signer's. */
    private Map<String, String> credentials(String method, URI uri, Optional<String> authorization) {
        Map<String, String> secret = new LinkedHashMap<>();
        authorization.ifPresent(a -> secret.put("Authorization", a));
        signer.sign(secret::put, method, uri);
        return secret;
    }

    private static String errorBody(Exchange.Answer r) {
        try (InputStream in = r.body()) {
            String text = new String(in.readNBytes(2048), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

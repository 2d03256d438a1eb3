package dev.chunkmesh.registry;

import dev.chunkmesh.catalog.oci.MediaTypes;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    private final HttpClient http;
    private final int attempts;
    private final Duration backoff;
    private final RegistryClient.Signer signer;
    private final ChallengeAnswerer auth;
    private final LongAdder retries = new LongAdder();

    RegistryTransport(URI base, Optional<Credentials> credentials, HttpClient http, int attempts, Duration backoff,
                      RegistryClient.Signer signer) {
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
        this.signer = Objects.requireNonNull(signer, "signer");
        this.auth = new ChallengeAnswerer(credentials, http);
    }

    /** A transport to the same registry with {@code signer}, no answered challenges and no retries counted yet. */
    RegistryTransport withSigner(RegistryClient.Signer signer) {
        return new RegistryTransport(base, credentials, http, attempts, backoff, signer);
    }

    /** The same registry and signer, no answered challenges and no retries counted yet. */
    RegistryTransport fresh() {
        return withSigner(signer);
    }

    /** The registry's base URI, without a trailing slash. */
    URI base() {
        return base;
    }

    /** Requests sent again after a connection error or a 5xx. */
    long retries() {
        return retries.sum();
    }

    /** See {@link RegistryClient#access}: one signed HEAD with the given authorization, no retries. */
    RegistryClient.Access access(String target, Optional<String> authorization) throws IOException {
        URI uri = at(target);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS) + ", */*")
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        authorization.ifPresent(a -> b.header("Authorization", a));
        signer.sign(b, "HEAD", uri);
        try {
            HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
            return new RegistryClient.Access(r.statusCode(), r.headers().firstValue("WWW-Authenticate"));
        } catch (IOException e) {
            throw new RegistryUnreachableException("HEAD " + uri + ": " + RegistryUnreachableException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** GET with auth and retries. */
    HttpResponse<InputStream> get(String repository, String path, String accept) throws IOException {
        return get(repository, path, accept, null);
    }

    /** GET with auth and retries and, unless {@code range} is null, a {@code Range} header. */
    HttpResponse<InputStream> get(String repository, String path, String accept, String range) throws IOException {
        return request("GET", repository, path, accept, range);
    }

    /** {@code method} on {@code path} (starting with {@code /v2/}) with the pull scope of {@code repository}. */
    HttpResponse<InputStream> request(String method, String repository, String path, String accept, String range) throws IOException {
        String scope = "repository:" + repository + ":pull";
        URI uri = at(path);
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                retries.increment();
                sleep(backoff.multipliedBy(1L << (attempt - 2)));
            }
            HttpResponse<InputStream> r;
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
    private HttpResponse<InputStream> authorizedSend(String method, URI uri, String accept, String scope, String range) throws IOException {
        HttpResponse<InputStream> r = send(method, uri, accept, auth.cached(scope), range);
        if (r.statusCode() != 401) {
            return r;
        }
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        drain(r);
        return send(method, uri, accept, auth.answer(challenge, scope), range);
    }

    private HttpResponse<InputStream> send(String method, URI uri, String accept, String authorization, String range) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).header("Accept", accept)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (range != null) {
            b.header("Range", range);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        signer.sign(b, method, uri);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String errorBody(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            String text = new String(in.readNBytes(2048), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }

    private static void drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.readNBytes(64 * 1024);
        } catch (IOException ignored) {
            // only freeing the connection
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

package dev.chunkmesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's {@code WWW-Authenticate} challenge: Basic with the credentials, or a bearer
 * token fetched from the challenge's realm. The answer is kept per scope, so later requests in the
 * same repository carry it from the start.
 */
final class ChallengeAnswerer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Credentials> credentials;
    private final HttpSettings http;
    private final Map<String, String> authByScope = new ConcurrentHashMap<>();

    ChallengeAnswerer(Optional<Credentials> credentials, HttpSettings http) {
        this.credentials = credentials;
        this.http = http;
    }

    /** The Authorization header value last obtained for {@code scope}, or null if none yet. */
    String cached(String scope) {
        return authByScope.get(scope);
    }

    /** The Authorization header value that answers {@code challenge} for {@code scope}, kept for later requests. */
    String answer(String challenge, String scope) throws IOException {
        String auth = authorize(challenge, scope);
        authByScope.put(scope, auth);
        return auth;
    }

    private String authorize(String header, String scope) throws IOException {
        AuthChallenge c = AuthChallenge.parse(header).orElseThrow(() ->
                new RegistryException(401, "registry refused access to " + scope + " without saying how to authenticate"));
        if (c.scheme().equals("basic")) {
            return credentials.orElseThrow(() -> new RegistryException(401, "registry wants a user name and password for " + scope))
                    .basicHeader();
        }
        if (!c.scheme().equals("bearer") || !c.params().containsKey("realm")) {
            throw new RegistryException(401, "unsupported authentication challenge: " + header);
        }
        StringBuilder q = new StringBuilder(c.params().get("realm"));
        q.append(q.indexOf("?") < 0 ? '?' : '&');
        if (c.params().containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(c.params().get("service"), StandardCharsets.UTF_8)).append('&');
        }
        q.append("scope=").append(URLEncoder.encode(c.params().getOrDefault("scope", scope), StandardCharsets.UTF_8));
        URI realm = URI.create(q.toString());
        Map<String, String> secret = new HashMap<>();
        credentials.ifPresent(cr -> secret.put("Authorization", cr.basicHeader()));
        Exchange.Answer r = Exchange.send(http, new Exchange.Request("GET", realm, Map.of("Accept", "application/json"), secret,
                Duration.ofSeconds(30), "token from " + c.params().get("realm")));
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(1 << 20);
        }
        if (r.statusCode() != 200) {
            throw new RegistryException(r.statusCode(), "token service " + c.params().get("realm") + " answered " + r.statusCode()
                    + " for " + scope + (credentials.isEmpty() ? " (no credentials were given)" : ""));
        }
        JsonNode token = JSON.readTree(body);
        String t = token.path("token").asText(token.path("access_token").asText(""));
        if (t.isEmpty()) {
            throw new RegistryException(0, "token service " + c.params().get("realm") + " returned no token");
        }
        return "Bearer " + t;
    }
}

package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.node.peer.PeerAuth;
import dev.chunkmesh.node.peer.PeerChunkClient;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import dev.chunkmesh.node.tls.TlsFiles;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.ext.web.client.WebClient;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One peer API client per peer address, sharing one Vert.x HTTP client: plain, or mTLS with the
 * node's certificate, re-read when its files change so a rotated certificate is used without a restart.
 */
public final class PeerClients {
    private final Vertx vertx;
    private final WebClient web;
    private final PeerAuth auth;
    private final Map<String, PeerChunkClient> byAddress = new ConcurrentHashMap<>();

    /** Clients that give up connecting after 5 s and drop a connection silent for 15 s, signing requests by the system clock. */
    public PeerClients(Vertx vertx, String secret, Optional<TlsFiles> tls) {
        this(vertx, secret, tls, Duration.ofSeconds(15), Clock.systemUTC());
    }

    /**
     * Clients that give up connecting after 5 s (or {@code silence}, if shorter) and drop a connection silent for {@code silence};
     * their requests are signed with {@code secret} at the time {@code clock} (the node's) tells.
     */
    public PeerClients(Vertx vertx, String secret, Optional<TlsFiles> tls, Duration silence, Clock clock) {
        this.vertx = vertx;
        this.auth = new PeerAuth(secret, clock);
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) Math.min(5000, silence.toMillis()))
                .setIdleTimeout((int) Math.max(1, silence.toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (tls.isPresent()) {
            var ssl = tls.get().client();
            options.setSsl(true).setVerifyHost(false).setKeyCertOptions(ssl.getKeyCertOptions()).setTrustOptions(ssl.getTrustOptions());
        }
        HttpClientAgent agent = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(16));
        this.web = WebClient.wrap(agent);
        tls.ifPresent(files -> {
            String[] stamp = {files.stamp()};
            vertx.setPeriodic(2000, t -> vertx.executeBlocking(files::stamp, false).onSuccess(now -> {
                if (!now.equals(stamp[0])) {
                    stamp[0] = now;
                    agent.updateSSLOptions(files.client());
                }
            }));
        });
    }

    public PeerChunkClient of(NodeInfo node) {
        return byAddress.computeIfAbsent(node.id().name() + "@" + node.peerAddress(), k -> {
            String address = node.peerAddress();
            int colon = address.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("peer address of " + node.id() + " is not host:port: " + address);
            }
            return new PeerChunkClient(vertx, web, node.id().name(), address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)), auth);
        });
    }
}

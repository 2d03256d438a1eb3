package dev.chunkmesh.node.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.gossip.Tier;
import dev.chunkmesh.node.origin.Bandwidth;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.origin.UpperTier;
import dev.chunkmesh.node.pull.PeerClients;
import dev.chunkmesh.node.tls.MeshCa;
import dev.chunkmesh.node.tls.TlsFiles;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.TestData;
import dev.chunkmesh.store.memory.InMemoryChunkStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The peer API over mTLS with certificates from the mesh CA, on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
class PeerTlsTest {

    private static final String SECRET = "correct horse battery staple";

    @TempDir
    Path dir;
    private final InMemoryChunkStore store = new InMemoryChunkStore();
    private final byte[] raw = TestData.compressible(7, 70_000);
    private Digest digest;
    private TlsFiles server;
    private TlsFiles client;
    private TlsFiles rogue;

    @BeforeEach
    void pki() throws Exception {
        digest = store.put(raw);
        MeshCa.init(dir.resolve("ca"), "mesh test CA", Duration.ofDays(1));
        MeshCa.init(dir.resolve("other-ca"), "someone else", Duration.ofDays(1));
        MeshCa.Issued s = MeshCa.issue(dir.resolve("ca"), "server", List.of("127.0.0.1"), dir.resolve("certs"), Duration.ofDays(1));
        MeshCa.Issued c = MeshCa.issue(dir.resolve("ca"), "client", List.of(), dir.resolve("certs"), Duration.ofDays(1));
        MeshCa.Issued r = MeshCa.issue(dir.resolve("other-ca"), "client", List.of(), dir.resolve("rogue"), Duration.ofDays(1));
        server = new TlsFiles(dir.resolve("ca/ca.crt"), s.cert(), s.key());
        client = new TlsFiles(dir.resolve("ca/ca.crt"), c.cert(), c.key());
        rogue = new TlsFiles(dir.resolve("other-ca/ca.crt"), r.cert(), r.key());
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    private int serve(Vertx vertx) throws Exception {
        return serve(vertx, LowerTiers.NONE);
    }

    private int serve(Vertx vertx, LowerTiers tiers) throws Exception {
        PeerChunkServer s = new PeerChunkServer(store, new PeerServerConfig("127.0.0.1", 0, SECRET, Optional.of(server)), RecipeBoard.NONE,
                new ServeStats(), tiers, SECRET, Clock.systemUTC());
        await(vertx.deployVerticle(s));
        return s.port();
    }

    private static NodeInfo peer(int port) {
        return new NodeInfo(new NodeId("server"), new PopId("pop1"), Tier.POP, Optional.empty(), "127.0.0.1:" + port);
    }

    @Test
    void aPeerWithAMeshCertificateFetchesOverMutualTls(Vertx vertx) throws Exception {
        int port = serve(vertx);
        byte[] got = await(new PeerClients(vertx, SECRET, Optional.of(client)).of(peer(port)).fetch(digest));
        assertArrayEquals(raw, got);
    }

    @Test
    void aPeerWithoutAValidCertificateIsRefused(Vertx vertx) throws Exception {
        int port = serve(vertx);
        assertThrows(PeerUnavailableException.class, () -> await(new PeerClients(vertx, SECRET, Optional.of(rogue)).of(peer(port)).fetch(digest)),
                "a certificate from another CA");
        assertThrows(PeerUnavailableException.class, () -> await(new PeerClients(vertx, SECRET, Optional.empty()).of(peer(port)).fetch(digest)),
                "no TLS at all");
        var noCert = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        assertThrows(Exception.class, () -> await(noCert.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI("/v1/chunks/" + digest)).compose(r -> r.send())), "TLS without a client certificate");
    }

    @Test
    void aRotatedCertificateIsServedWithoutARestart(Vertx vertx) throws Exception {
        int port = serve(vertx);
        BigInteger before = servedSerial(vertx, port);
        MeshCa.Issued renewed = MeshCa.issue(dir.resolve("ca"), "server", List.of("127.0.0.1"), dir.resolve("certs"), Duration.ofDays(2));
        assertTrue(!renewed.serial().equals(before));
        long deadline = System.nanoTime() + 15_000_000_000L;
        BigInteger now = before;
        while (System.nanoTime() < deadline && !now.equals(renewed.serial())) {
            Thread.sleep(250);
            now = servedSerial(vertx, port);
        }
        assertEquals(renewed.serial(), now, "the server picked up the new certificate while running");
        assertArrayEquals(raw, await(new PeerClients(vertx, SECRET, Optional.of(client)).of(peer(port)).fetch(digest)));
    }

    /** The serial of the certificate the server presents on a fresh connection. */
    private BigInteger servedSerial(Vertx vertx, int port) throws Exception {
        var c = client.client();
        var http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(false).setKeepAlive(false)
                .setKeyCertOptions(c.getKeyCertOptions()).setTrustOptions(c.getTrustOptions()));
        try {
            return await(http.request(new RequestOptions().setMethod(HttpMethod.HEAD).setHost("127.0.0.1").setPort(port)
                    .setURI("/v1/chunks/" + digest).addHeader(PeerAuth.HEADER,
                            new PeerAuth(SECRET, Clock.systemUTC()).sign("HEAD", "/v1/chunks/" + digest, "127.0.0.1:" + port, new byte[0]))).compose(r -> r.send().map(resp -> {
                        try {
                            return ((X509Certificate) r.connection().peerCertificates().get(0)).getSerialNumber();
                        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                            throw new IllegalStateException(e);
                        }
                    })));
        } finally {
            http.close();
        }
    }

    /** A tier below sees one blob, {@code raw}, in repository team/app; the client port of each request goes to {@code ports}. */
    private LowerTiers oneBlob(List<Integer> ports) {
        return new LowerTiers() {
            @Override
            public void serve(HttpServerRequest request, TierPath path) {
                ports.add(request.remoteAddress().port());
                if (!path.registryUri().equals("/v2/team/app/blobs/" + digest)) {
                    request.response().setStatusCode(404).end();
                    return;
                }
                request.response().putHeader("Content-Length", Integer.toString(raw.length));
                if (request.method() == HttpMethod.HEAD) {
                    request.response().end();
                } else {
                    request.response().end(Buffer.buffer(raw));
                }
            }

            @Override
            public void access(HttpServerRequest request, TierPath path) {
                request.response().setStatusCode(200).end();
            }

            @Override
            public Optional<Recipe> recipe(Digest blob) {
                return Optional.empty();
            }
        };
    }

    private Origin upper(String address, TlsFiles tls) {
        return new UpperTier(List.of(address), SECRET, Optional.of(tls), new Bandwidth(0), Duration.ofSeconds(20), Clock.systemUTC()).origin(Optional.empty())
                .orElseThrow();
    }

    @Test
    void aLowerTierWithAMeshCertificateTakesABlobFromItsUpperTierOverMutualTls(Vertx vertx) throws Exception {
        List<Integer> ports = new CopyOnWriteArrayList<>();
        int port = serve(vertx, oneBlob(ports));
        Origin tier = upper("127.0.0.1:" + port, client);
        assertEquals(raw.length, tier.size("team/app", digest));
        for (int i = 0; i < 2; i++) {
            try (InputStream in = tier.blobFrom("team/app", digest, 0)) {
                assertArrayEquals(raw, in.readAllBytes());
            }
        }
        assertEquals(1, ports.stream().distinct().count(), "one TLS connection for the size and both blobs: " + ports);
    }

    @Test
    void anUpperTierIsRefusedWhenEitherSidesCertificateDoesNotCheck(Vertx vertx) throws Exception {
        int port = serve(vertx, oneBlob(new CopyOnWriteArrayList<>()));
        assertThrows(IOException.class, () -> upper("127.0.0.1:" + port, rogue).size("team/app", digest),
                "the lower tier's certificate is from another CA");
        assertThrows(IOException.class, () -> upper("localhost:" + port, client).size("team/app", digest),
                "the upper node's certificate does not name the address dialled");
    }
}

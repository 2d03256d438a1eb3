package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.node.peer.PeerChunkClient;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One peer API client per peer address, sharing one Vert.x web client. */
public final class PeerClients {
    private final Vertx vertx;
    private final WebClient web;
    private final String secret;
    private final Map<String, PeerChunkClient> byAddress = new ConcurrentHashMap<>();

    public PeerClients(Vertx vertx, WebClient web, String secret) {
        this.vertx = vertx;
        this.web = web;
        this.secret = secret;
    }

    public PeerChunkClient of(NodeInfo node) {
        return byAddress.computeIfAbsent(node.id().name() + "@" + node.peerAddress(), k -> {
            String address = node.peerAddress();
            int colon = address.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("peer address of " + node.id() + " is not host:port: " + address);
            }
            return new PeerChunkClient(vertx, web, node.id().name(), address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)), secret);
        });
    }
}

package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.node.local.PartialRecipes;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * What a node's pulls work with.
 *
 * @param localRecipes recipes this node keeps for itself (on its disk), consulted before the POP's
 * @param partialRecipes the growing recipes of first pulls, on this node's disk, for resuming one after a restart
 * @param fetchers runs chunk fetches; its size bounds the fetches in flight
 * @param writers stores the chunks of a stream in parallel while it is read
 * @param gossip runs Hazelcast calls (adverts, leases) off the fetch threads
 * @param events hears how pulls go, for metrics
 */
record PullDeps(NodeInfo self, ChunkStore store, Recipes localRecipes, PartialRecipes partialRecipes, PopView pop, PeerClients peers,
                PullSettings settings, Penalties penalties, ExecutorService fetchers, ExecutorService writers, ExecutorService gossip, ChunkerParams chunker,
                PullEvents events) {
    PullDeps {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(localRecipes, "localRecipes");
        Objects.requireNonNull(partialRecipes, "partialRecipes");
        Objects.requireNonNull(pop, "pop");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(penalties, "penalties");
        Objects.requireNonNull(fetchers, "fetchers");
        Objects.requireNonNull(writers, "writers");
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(chunker, "chunker");
        Objects.requireNonNull(events, "events");
    }
}

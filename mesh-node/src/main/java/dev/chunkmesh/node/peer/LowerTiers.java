package dev.chunkmesh.node.peer;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the peer API hands to the node's registry mirror for the POPs of the tier below, once a
 * request has proved it comes from a node of the mesh. Both run on the request's event loop and must
 * not block, except {@link #recipe}.
 */
public interface LowerTiers {
    /** Serves a registry {@code GET} or {@code HEAD} of {@code path} as a pull of this POP, without the client access check. */
    void serve(HttpServerRequest request, TierPath path);

    /** Answers a {@code HEAD} with the status (and challenge) the origin gives the {@code Authorization} header it carries. */
    void access(HttpServerRequest request, TierPath path);

    /** The complete recipe this node or its POP holds for {@code blob}. Blocks: call from a worker. */
    Optional<Recipe> recipe(Digest blob);

    /** A node that serves no tier below: every tier request gets 404. */
    LowerTiers NONE = new LowerTiers() {
        @Override
        public void serve(HttpServerRequest request, TierPath path) {
            request.response().setStatusCode(404).end("this node serves no lower tier");
        }

        @Override
        public void access(HttpServerRequest request, TierPath path) {
            serve(request, path);
        }

        @Override
        public Optional<Recipe> recipe(Digest blob) {
            return Optional.empty();
        }
    };

    /** Hands each request to what {@code current} gives at that moment; while it gives null (a node starting), answers 503. */
    static LowerTiers late(Supplier<? extends LowerTiers> current) {
        return new LowerTiers() {
            @Override
            public void serve(HttpServerRequest request, TierPath path) {
                LowerTiers t = current.get();
                if (t == null) {
                    request.response().setStatusCode(503).end("this node is starting");
                } else {
                    t.serve(request, path);
                }
            }

            @Override
            public void access(HttpServerRequest request, TierPath path) {
                LowerTiers t = current.get();
                if (t == null) {
                    request.response().setStatusCode(503).end("this node is starting");
                } else {
                    t.access(request, path);
                }
            }

            @Override
            public Optional<Recipe> recipe(Digest blob) {
                LowerTiers t = current.get();
                return t == null ? Optional.empty() : t.recipe(blob);
            }
        };
    }
}

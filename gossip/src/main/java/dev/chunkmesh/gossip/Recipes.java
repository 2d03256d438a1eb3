package dev.chunkmesh.gossip;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.Optional;

/**
 * The recipes a POP has learnt: once one node has chunked a blob (on its first pull, or from a
 * catalog), every node of the POP can plan its pull without touching the origin. Recipes are
 * content-addressed facts about a blob, so publishing the same one twice is harmless; a recipe is
 * still only advice until the chunks it names verify and the whole blob hashes to its digest.
 */
public interface Recipes {

    /** The recipe of {@code blob}, if any node has published it. */
    Optional<Recipe> find(Digest blob);

    /** Whether a recipe of {@code blob} is known, without fetching it. */
    boolean has(Digest blob);

    /** Shares {@code recipe} with the POP. */
    void publish(Recipe recipe);

    /**
     * Drops the recipe of {@code blob}, once no node holds any of it: a later pull learns it again
     * (from the origin, or a catalog). Forgetting an unknown blob does nothing.
     */
    void forget(Digest blob);
}

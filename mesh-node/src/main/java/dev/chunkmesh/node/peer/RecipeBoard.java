package dev.chunkmesh.node.peer;

import dev.chunkmesh.store.Digest;
import java.util.Optional;

/** What the peer API can tell others about the recipes this node holds or is building. */
@FunctionalInterface
public interface RecipeBoard {

    /** A board that knows no recipes. */
    RecipeBoard NONE = (blob, from) -> Optional.empty();

    /** The servable prefix of {@code blob}'s recipe from chunk {@code from} on, if this node has any of it. */
    Optional<RecipePrefix> prefix(Digest blob, int from);
}

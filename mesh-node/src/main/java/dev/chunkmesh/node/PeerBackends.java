package dev.chunkmesh.node;

import dev.chunkmesh.node.peer.LowerTiers;
import dev.chunkmesh.node.peer.RecipeBoard;
import dev.chunkmesh.node.peer.RecipePrefix;
import dev.chunkmesh.store.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * What the peer API serves from that is built after it listens. A node's identity carries its peer
 * port, known only once the peer API listens (port 0 takes any free one), and the pull service and
 * the registry mirror are built for that identity. Until each is wired, the peer API knows no recipe
 * and answers tier requests 503 ("starting"). Each is wired once.
 */
final class PeerBackends implements RecipeBoard {
    private volatile RecipeBoard recipes;
    private volatile LowerTiers lowerTiers;

    /** The lower tiers' side of the peer API: what {@link #wireLowerTiers} wired, 503 before. */
    LowerTiers lowerTiers() {
        return LowerTiers.late(() -> lowerTiers);
    }

    void wireRecipes(RecipeBoard board) {
        if (recipes != null) {
            throw new IllegalStateException("the peer API's recipe board is wired already");
        }
        recipes = Objects.requireNonNull(board, "board");
    }

    void wireLowerTiers(LowerTiers tiers) {
        if (lowerTiers != null) {
            throw new IllegalStateException("the peer API's lower tiers are wired already");
        }
        lowerTiers = Objects.requireNonNull(tiers, "tiers");
    }

    @Override
    public Optional<RecipePrefix> prefix(Digest blob, int from) {
        RecipeBoard board = recipes;
        return board == null ? Optional.empty() : board.prefix(blob, from);
    }
}

package dev.chunkmesh.catalog.sign;

/** A catalog that must not be used, and why. */
public final class CatalogRefusedException extends Exception {

    /** Why a catalog was refused. */
    public enum Reason {
        /** Not a signed catalog document at all. */
        MALFORMED,
        /** Carries no signature. */
        UNSIGNED,
        /** Its bytes changed after signing. */
        TAMPERED,
        /** Signed, but by no key in the trust store. */
        UNTRUSTED_KEY,
        /** Past its expiry time. */
        EXPIRED,
        /** Older than a catalog already seen, and no rollback to it was allowed. */
        ROLLBACK,
        /** Same sequence as one already seen, with other content. */
        CONFLICT
    }

    private final Reason reason;

    public CatalogRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package io.perkamo.control;

/** An operation named a Space that the control plane does not know. */
public final class UnknownSpaceException extends ControlPlaneException {
    private static final long serialVersionUID = 1L;
    private final String slug;

    public UnknownSpaceException(String slug) {
        super("Space '" + slug + "' does not exist");
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}

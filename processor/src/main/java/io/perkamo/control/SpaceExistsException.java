package io.perkamo.control;

/** Creating a Space whose slug is already taken. */
public final class SpaceExistsException extends ControlPlaneException {
    private static final long serialVersionUID = 1L;
    private final String slug;

    public SpaceExistsException(String slug) {
        super("Space '" + slug + "' already exists");
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}

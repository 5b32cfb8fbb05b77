package io.perkamo.control;

/** Per-Space settings; absent fields in stored records take these defaults. */
public record SpaceSettings(boolean requireSignatures) {
    public static final SpaceSettings DEFAULTS = new SpaceSettings(false);

    public SpaceSettings withRequireSignatures(boolean value) {
        return new SpaceSettings(value);
    }
}

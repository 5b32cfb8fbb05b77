package io.perkamo.control;

import java.util.Objects;

/** Per-Space settings; absent fields in stored records take these defaults. */
public record SpaceSettings(boolean requireSignatures, SpaceRateLimits rateLimits) {
    public static final SpaceSettings DEFAULTS = new SpaceSettings(false, SpaceRateLimits.NONE);

    public SpaceSettings {
        Objects.requireNonNull(rateLimits, "rateLimits");
    }

    public SpaceSettings(boolean requireSignatures) {
        this(requireSignatures, SpaceRateLimits.NONE);
    }

    public SpaceSettings withRequireSignatures(boolean value) {
        return new SpaceSettings(value, rateLimits);
    }

    public SpaceSettings withRateLimits(SpaceRateLimits value) {
        return new SpaceSettings(requireSignatures, value);
    }
}

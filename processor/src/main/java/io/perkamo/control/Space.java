package io.perkamo.control;

import java.time.Instant;
import java.util.Objects;

/** A tenant: its slug names its topics (see {@link io.perkamo.topics.Topics}). */
public record Space(String slug, String name, Environment environment, int partitions, Instant createdAt,
        SpaceSettings settings) {

    public Space {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(settings, "settings");
    }

    public Space withSettings(SpaceSettings newSettings) {
        return new Space(slug, name, environment, partitions, createdAt, newSettings);
    }
}

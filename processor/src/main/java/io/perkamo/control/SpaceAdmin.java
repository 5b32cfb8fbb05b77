package io.perkamo.control;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.topics.TopicAdmin;
import io.perkamo.topics.Topics;

/**
 * Creates Spaces: topics first (retry-safe), then waits until every partition has a
 * leader, and only then writes the Space record, so a visible Space can take events.
 */
public final class SpaceAdmin {
    private static final Logger log = LoggerFactory.getLogger(SpaceAdmin.class);
    public static final int DEFAULT_PARTITIONS = 6;
    static final String SLUG_RULE = "use 1 to 128 characters: lowercase letters a-z, digits 0-9 and '-',"
            + " starting and ending with a letter or digit";

    private final ControlPlane cp;

    public SpaceAdmin(ControlPlane cp) {
        this.cp = cp;
    }

    /** Throws with the rule when the slug is not valid. */
    public static void requireValidSlug(String slug) {
        if (!Topics.isValidSlug(slug)) {
            throw new IllegalArgumentException("Invalid Space slug '" + slug + "': " + SLUG_RULE);
        }
    }

    /**
     * Creates the Space and its four topics with {@code partitions} partitions and the
     * broker's default replication factor. Fails with {@link SpaceExistsException} when the
     * slug is taken; topics left by an earlier, interrupted attempt are reused.
     */
    public Space create(String slug, String environment, Optional<String> name, int partitions) {
        requireValidSlug(slug);
        Environment env = Environment.require(environment);
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions must be 1..10000, got " + partitions);
        }
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        OptionalInt most = existingMaxPartitions();
        if (most.isPresent() && partitions > most.getAsInt()) {
            // One processor reads every Space's events topic; Kafka Streams sizes its tasks and
            // state changelogs by the largest partition count it first sees and cannot grow them.
            throw new ControlPlaneException("Space " + slug + " cannot have " + partitions
                    + " partitions: the existing Spaces have at most " + most.getAsInt() + ", and one processor"
                    + " serving them all cannot grow past that. Use --partitions " + most.getAsInt() + " or fewer.");
        }
        String displayName = name.map(String::trim).filter(n -> !n.isEmpty()).orElse(slug);
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        if (cp.space(slug).isPresent()) {
            throw new SpaceExistsException(slug);
        }
        Map<String, Integer> actual = TopicAdmin.createSpaceTopics(cp.admin(), slug, partitions);
        actual.forEach((topic, n) -> {
            if (n != partitions) {
                throw new ControlPlaneException("Topic " + topic + " already exists with " + n
                        + " partitions, not " + partitions + ": use --partitions " + n + " or delete the topic");
            }
        });
        Space space = new Space(slug, displayName, env, partitions, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                SpaceSettings.DEFAULTS);
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        if (cp.space(slug).isPresent()) {
            throw new SpaceExistsException(slug);
        }
        cp.log().write(Topics.CONTROL_SPACES, slug, ControlJson.space(space));
        log.info("Created Space {} ({}, {} partitions)", slug, env.id(), partitions);
        return space;
    }

    /** The partition count a new Space gets unless told otherwise: that of the existing Spaces, else 6. */
    public int defaultPartitions() {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        return existingMaxPartitions().orElse(DEFAULT_PARTITIONS);
    }

    private OptionalInt existingMaxPartitions() {
        return cp.spaces().stream().mapToInt(Space::partitions).max();
    }

    public void setRequireSignatures(String slug, boolean required) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        Space space = cp.space(slug).orElseThrow(() -> new UnknownSpaceException(slug));
        if (space.settings().requireSignatures() == required) {
            return;
        }
        Space updated = space.withSettings(space.settings().withRequireSignatures(required));
        cp.log().write(Topics.CONTROL_SPACES, slug, ControlJson.space(updated));
    }

    /** Sets the Space's own rate limits (empty fields: the server's defaults). */
    public void setRateLimits(String slug, SpaceRateLimits limits) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        Space space = cp.space(slug).orElseThrow(() -> new UnknownSpaceException(slug));
        if (space.settings().rateLimits().equals(limits)) {
            return;
        }
        Space updated = space.withSettings(space.settings().withRateLimits(limits));
        cp.log().write(Topics.CONTROL_SPACES, slug, ControlJson.space(updated));
    }
}

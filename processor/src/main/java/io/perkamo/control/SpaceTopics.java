package io.perkamo.control;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that knows the Kafka contract's topic names (SPEC section 4): per Space
 * perkamo.&lt;slug&gt;.{events,outcomes,profiles,dlq}, plus the control-plane topics.
 */
public final class SpaceTopics {
    /** Space slug rule from SPEC section 4. */
    public static final Pattern SLUG = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,126}[a-z0-9])?$");

    /** Every Space's events topic; a new Space matches without a restart. */
    public static final Pattern EVENTS_PATTERN = Pattern.compile("perkamo\\.([a-z0-9][a-z0-9-]*)\\.events");
    public static final Pattern OUTCOMES_PATTERN = Pattern.compile("perkamo\\.([a-z0-9][a-z0-9-]*)\\.outcomes");

    /** Compacted control topics: the control plane lives here, no second database. */
    public static final String CONTROL_SPACES = "perkamo._control.spaces";
    public static final String CONTROL_KEYS = "perkamo._control.keys";
    public static final String CONTROL_PROGRAMS = "perkamo._control.programs";

    private SpaceTopics() {
    }

    public static boolean isValidSlug(String slug) {
        return slug != null && SLUG.matcher(slug).matches();
    }

    public static String events(String slug) {
        return "perkamo." + slug + ".events";
    }

    public static String outcomes(String slug) {
        return "perkamo." + slug + ".outcomes";
    }

    public static String profiles(String slug) {
        return "perkamo." + slug + ".profiles";
    }

    public static String dlq(String slug) {
        return "perkamo." + slug + ".dlq";
    }

    /** The Space of a per-Space topic name, if it is one. */
    public static Optional<String> spaceOf(String topic) {
        if (topic == null || !topic.startsWith("perkamo.")) {
            return Optional.empty();
        }
        int last = topic.lastIndexOf('.');
        if (last <= "perkamo.".length()) {
            return Optional.empty();
        }
        String slug = topic.substring("perkamo.".length(), last);
        Matcher m = SLUG.matcher(slug);
        return m.matches() ? Optional.of(slug) : Optional.empty();
    }
}

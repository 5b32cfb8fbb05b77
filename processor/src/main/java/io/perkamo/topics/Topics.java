package io.perkamo.topics;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;

/**
 * The one place that knows the Kafka contract's topics (SPEC section 4): their names, how
 * their keys and values are written and read, and their configuration. Every reader and
 * writer (the stream, the API's ingest, the control plane, replay, webhooks, usage) goes
 * through these objects.
 */
public final class Topics {
    /** Space slug rule from SPEC section 4. */
    public static final Pattern SLUG = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,126}[a-z0-9])?$");

    /**
     * Inputs (events, redemptions, identifies) keyed by user_id (UTF-8): JSON or Avro in the
     * Confluent wire format, read by {@link InputDecoder}. The stream reads keys as raw bytes,
     * since a producer may write any key and a mismatch must go to the DLQ, not fail a decode.
     */
    public static final SpaceTopic<String, byte[]> EVENTS = new SpaceTopic<>("events",
            TopicConfig.CLEANUP_POLICY_DELETE, Serdes.String(), formats -> Serdes.ByteArray());
    /** One outcome per input, keyed by user_id, in the deployment's output format. */
    public static final SpaceTopic<String, Outcome> OUTCOMES = new SpaceTopic<>("outcomes",
            TopicConfig.CLEANUP_POLICY_DELETE, Serdes.String(),
            formats -> formats.serde(Outcome.class, OutcomeJson::bytes, json -> OutcomeJson.fromJson(json)));
    /** The profile after each change, keyed by user_id, compacted: the state table for downstream consumers. */
    public static final SpaceTopic<String, Profile> PROFILES = new SpaceTopic<>("profiles",
            TopicConfig.CLEANUP_POLICY_COMPACT, Serdes.String(),
            formats -> formats.serde(Profile.class, ProfileJson::bytes, json -> ProfileJson.fromJson(json)));
    /** Refused records: the original key and bytes, with {@link DeadLetterHeaders}. */
    public static final SpaceTopic<byte[], byte[]> DLQ = new SpaceTopic<>("dlq",
            TopicConfig.CLEANUP_POLICY_DELETE, Serdes.ByteArray(), formats -> Serdes.ByteArray());
    /**
     * The Space's usage meters: one record per UTC day (key: the date, {@code YYYY-MM-DD}; value:
     * the day's counters as JSON), compacted, written exactly once by the usage meters.
     */
    public static final SpaceTopic<String, byte[]> USAGE = new SpaceTopic<>("usage",
            TopicConfig.CLEANUP_POLICY_COMPACT, Serdes.String(), formats -> Serdes.ByteArray());
    /** Every Space's topics, in the order a Space creates them. */
    public static final List<SpaceTopic<?, ?>> PER_SPACE = List.of(EVENTS, OUTCOMES, PROFILES, DLQ, USAGE);
    /**
     * The webhook delivery log ({@link WebhookDelivery}), keyed by delivery id, each record on the
     * partition of its outcome: one record per delivery state change (creation, each attempt,
     * resend). Created with a Space's first webhook endpoint, with the Space's partition count;
     * not compacted, so every attempt stays readable for the retention (usage meters count them).
     */
    public static final SpaceTopic<String, WebhookDelivery> WEBHOOK_DELIVERIES = new SpaceTopic<>(
            "webhook-deliveries", TopicConfig.CLEANUP_POLICY_DELETE, Serdes.String(),
            formats -> WebhookDeliveryJson.serde());

    /** Compacted control topics: the control plane lives here, no second database. */
    public static final ControlTopic CONTROL_SPACES = new ControlTopic("perkamo._control.spaces");
    public static final ControlTopic CONTROL_KEYS = new ControlTopic("perkamo._control.keys");
    /** Every program version, keyed {@code <slug>:<version>}. */
    public static final ControlTopic CONTROL_PROGRAMS = new ControlTopic("perkamo._control.programs");
    /** When each key was last used, keyed by key id: approximate, written at most once a minute per key. */
    public static final ControlTopic CONTROL_KEY_USAGE = new ControlTopic("perkamo._control.key-usage");
    /** Webhook endpoints, keyed by endpoint id; their secrets sealed with the master key. */
    public static final ControlTopic CONTROL_WEBHOOKS = new ControlTopic("perkamo._control.webhooks");
    public static final List<ControlTopic> CONTROL = List.of(CONTROL_SPACES, CONTROL_KEYS, CONTROL_PROGRAMS,
            CONTROL_KEY_USAGE, CONTROL_WEBHOOKS);

    private static final String PREFIX = "perkamo.";

    private Topics() {
    }

    public static boolean isValidSlug(String slug) {
        return slug != null && SLUG.matcher(slug).matches();
    }

    /** The Space of a per-Space topic name, if it is one. */
    public static Optional<String> spaceOf(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int last = topic.lastIndexOf('.');
        if (last <= PREFIX.length()) {
            return Optional.empty();
        }
        String slug = topic.substring(PREFIX.length(), last);
        return isValidSlug(slug) ? Optional.of(slug) : Optional.empty();
    }

    static String name(String slug, String suffix) {
        return PREFIX + slug + "." + suffix;
    }

    static Pattern pattern(String suffix) {
        return Pattern.compile("perkamo\\.([a-z0-9][a-z0-9-]*)\\." + Pattern.quote(suffix));
    }
}

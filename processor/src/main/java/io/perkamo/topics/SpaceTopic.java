package io.perkamo.topics;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic every Space has, {@code perkamo.<slug>.<suffix>}: its name, key serde, value serde
 * (which may depend on the deployment's {@link WireFormats}) and configuration.
 */
public final class SpaceTopic<K, V> {
    private final String suffix;
    private final String cleanupPolicy;
    private final Serde<K> keySerde;
    private final Function<WireFormats, Serde<V>> valueSerdes;
    private final Pattern pattern;

    SpaceTopic(String suffix, String cleanupPolicy, Serde<K> keySerde, Function<WireFormats, Serde<V>> valueSerdes) {
        this.suffix = suffix;
        this.cleanupPolicy = cleanupPolicy;
        this.keySerde = keySerde;
        this.valueSerdes = valueSerdes;
        this.pattern = Topics.pattern(suffix);
    }

    public String name(String slug) {
        return Topics.name(slug, suffix);
    }

    /** Matches this topic of every Space, those created later included. */
    public Pattern pattern() {
        return pattern;
    }

    public boolean matches(String topic) {
        return topic != null && pattern.matcher(topic).matches();
    }

    /** The Space of this topic's name, when it is this topic of a Space. */
    public Optional<String> spaceOf(String topic) {
        return matches(topic) ? Topics.spaceOf(topic) : Optional.empty();
    }

    public String cleanupPolicy() {
        return cleanupPolicy;
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    /** How values are written (in the deployment's output format) and read (any format). */
    public Serde<V> valueSerde(WireFormats formats) {
        return valueSerdes.apply(formats);
    }

    /** The topic of a new Space, with the broker's default replication factor. */
    public NewTopic newTopic(String slug, int partitions) {
        return new NewTopic(name(slug), Optional.of(partitions), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy));
    }

    @Override
    public String toString() {
        return Topics.name("<slug>", suffix);
    }
}

package io.perkamo.topics;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A compacted control topic: one partition, String keys, JSON values (the control plane's
 * records, see control/ControlJson); a null value is a tombstone.
 */
public record ControlTopic(String name) {
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public Serde<byte[]> valueSerde() {
        return Serdes.ByteArray();
    }

    public NewTopic newTopic() {
        return new NewTopic(name, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
}

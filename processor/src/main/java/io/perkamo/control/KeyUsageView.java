package io.perkamo.control;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.perkamo.topics.ControlTopic;
import io.perkamo.topics.Topics;

/** When each key was last used, as flushed by the instances (key-usage topic, key = key id); the latest wins. */
final class KeyUsageView implements TopicView {
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    @Override
    public ControlTopic topic() {
        return Topics.CONTROL_KEY_USAGE;
    }

    @Override
    public void apply(String keyId, byte[] value) {
        if (value == null) {
            lastUsed.remove(keyId);
            return;
        }
        // instances flush independently: a record may be older than one already read
        lastUsed.merge(keyId, ControlJson.keyUsage(value), (a, b) -> a.isAfter(b) ? a : b);
    }

    Optional<Instant> get(String keyId) {
        return Optional.ofNullable(lastUsed.get(keyId));
    }
}

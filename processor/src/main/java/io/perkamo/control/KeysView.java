package io.perkamo.control;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.perkamo.topics.ControlTopic;
import io.perkamo.topics.Topics;

/** The API keys, by id and by lookup hash (keys topic, key = key id). */
final class KeysView implements TopicView {
    private final Map<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();
    private final Map<String, String> idByHash = new ConcurrentHashMap<>();
    private final List<Consumer<String>> recordListeners = new CopyOnWriteArrayList<>();

    @Override
    public ControlTopic topic() {
        return Topics.CONTROL_KEYS;
    }

    /** Told the key id of every record read, before it is applied (to drop what was derived from the old one). */
    void onRecord(Consumer<String> listener) {
        recordListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void apply(String id, byte[] value) {
        recordListeners.forEach(l -> l.accept(id));
        ApiKeyRecord previous;
        if (value == null) {
            previous = keys.remove(id);
        } else {
            ApiKeyRecord k = ControlJson.key(value);
            if (!k.id().equals(id)) {
                throw new IllegalArgumentException("key and id differ");
            }
            previous = keys.put(id, k);
            idByHash.put(k.lookupHash(), id);
            if (previous != null && previous.lookupHash().equals(k.lookupHash())) {
                return;
            }
        }
        if (previous != null) {
            idByHash.remove(previous.lookupHash(), id);
        }
    }

    Optional<ApiKeyRecord> get(String id) {
        return Optional.ofNullable(id).map(keys::get);
    }

    Optional<ApiKeyRecord> byLookupHash(String hash) {
        return Optional.ofNullable(hash).map(idByHash::get).map(keys::get);
    }

    /** The Space's keys, revoked ones included, oldest first. */
    List<ApiKeyRecord> ofSpace(String slug) {
        return keys.values().stream().filter(k -> k.space().equals(slug))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::id)).toList();
    }

    int size() {
        return keys.size();
    }
}

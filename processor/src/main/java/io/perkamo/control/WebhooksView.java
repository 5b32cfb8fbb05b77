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

/** The webhook endpoints, by id (webhooks topic, key = endpoint id; a tombstone removes one). */
final class WebhooksView implements TopicView {
    private final Map<String, WebhookEndpoint> endpoints = new ConcurrentHashMap<>();
    private final List<Consumer<String>> recordListeners = new CopyOnWriteArrayList<>();

    @Override
    public ControlTopic topic() {
        return Topics.CONTROL_WEBHOOKS;
    }

    /** Told the endpoint id of every record read, before it is applied (to drop a decrypted secret). */
    void onRecord(Consumer<String> listener) {
        recordListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void apply(String id, byte[] value) {
        recordListeners.forEach(l -> l.accept(id));
        if (value == null) {
            endpoints.remove(id);
            return;
        }
        WebhookEndpoint e = ControlJson.webhook(value);
        if (!e.id().equals(id)) {
            throw new IllegalArgumentException("key and id differ");
        }
        endpoints.put(id, e);
    }

    Optional<WebhookEndpoint> get(String id) {
        return Optional.ofNullable(id).map(endpoints::get);
    }

    /** The Space's endpoints, oldest first. */
    List<WebhookEndpoint> ofSpace(String slug) {
        return endpoints.values().stream().filter(e -> e.space().equals(slug))
                .sorted(Comparator.comparing(WebhookEndpoint::createdAt).thenComparing(WebhookEndpoint::id)).toList();
    }

    List<WebhookEndpoint> all() {
        return endpoints.values().stream()
                .sorted(Comparator.comparing(WebhookEndpoint::createdAt).thenComparing(WebhookEndpoint::id)).toList();
    }
}

package io.perkamo.control;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.perkamo.topics.ControlTopic;
import io.perkamo.topics.Topics;

/** The Spaces, by slug (spaces topic, key = slug). */
final class SpacesView implements TopicView {
    private final Map<String, Space> spaces = new ConcurrentHashMap<>();

    @Override
    public ControlTopic topic() {
        return Topics.CONTROL_SPACES;
    }

    @Override
    public void apply(String slug, byte[] value) {
        if (value == null) {
            spaces.remove(slug);
            return;
        }
        Space s = ControlJson.space(value);
        if (!s.slug().equals(slug)) {
            throw new IllegalArgumentException("key and slug differ");
        }
        spaces.put(slug, s);
    }

    List<Space> all() {
        return spaces.values().stream().sorted(Comparator.comparing(Space::slug)).toList();
    }

    Optional<Space> get(String slug) {
        return Optional.ofNullable(slug).map(spaces::get);
    }

    int size() {
        return spaces.size();
    }
}

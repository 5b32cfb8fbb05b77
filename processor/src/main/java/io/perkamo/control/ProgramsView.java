package io.perkamo.control;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.perkamo.topics.ControlTopic;
import io.perkamo.topics.Topics;

/** Every Space's program versions (programs topic, key = slug:version). */
final class ProgramsView implements TopicView {
    private final Map<String, NavigableMap<Long, ProgramVersion>> programs = new ConcurrentHashMap<>();

    @Override
    public ControlTopic topic() {
        return Topics.CONTROL_PROGRAMS;
    }

    @Override
    public void apply(String key, byte[] value) {
        int colon = key.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bad program key");
        }
        String slug = key.substring(0, colon);
        long version = Long.parseLong(key.substring(colon + 1));
        if (value == null) {
            NavigableMap<Long, ProgramVersion> versions = programs.get(slug);
            if (versions != null) {
                versions.remove(version);
            }
            return;
        }
        ProgramVersion p = ControlJson.program(value);
        if (!p.space().equals(slug) || p.version() != version) {
            throw new IllegalArgumentException("key and value differ");
        }
        programs.computeIfAbsent(slug, s -> new ConcurrentSkipListMap<>()).put(version, p);
    }

    /** Every version of the Space's program, ascending. */
    List<ProgramVersion> versions(String slug) {
        NavigableMap<Long, ProgramVersion> versions = programs.get(slug);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /**
     * The version in force at {@code at}: among versions whose effective time is not after
     * {@code at}, the one with the latest effective time (the higher version on a tie).
     */
    Optional<ProgramVersion> active(String slug, Instant at) {
        return versions(slug).stream().filter(p -> !p.effectiveAt().isAfter(at))
                .max(Comparator.comparing(ProgramVersion::effectiveAt).thenComparingLong(ProgramVersion::version));
    }
}

package io.perkamo.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.apache.avro.Schema;

/**
 * The registry's content as folded from the `_schemas` log: subjects with their versions,
 * global schema ids and compatibility levels. Not thread-safe; the server guards it.
 */
final class RegistryState {

    /** One registration: a schema under a subject at a version, with its global id. */
    record Version(String subject, int version, int id, String schema, boolean deleted) {
    }

    private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idByIdentity = new HashMap<>();
    private final Map<String, CompatibilityLevel> levels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

    /** Identity of a schema: Avro's full JSON form of the parsed schema (docs and defaults included). */
    static String identity(Schema schema) {
        return schema.toString();
    }

    /** Parses Avro schema text, or throws the registry's 42201. */
    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("empty schema");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    void apply(Version v) {
        String identity = identity(parse(v.schema()));
        subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>()).put(v.version(), v);
        schemaById.putIfAbsent(v.id(), v.schema());
        idByIdentity.putIfAbsent(identity, v.id());
        maxId = Math.max(maxId, v.id());
    }

    void removeVersion(String subject, int version) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        if (versions != null) {
            versions.remove(version);
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
        }
    }

    void applyLevel(Optional<String> subject, Optional<CompatibilityLevel> level) {
        if (subject.isEmpty()) {
            globalLevel = level.orElse(CompatibilityLevel.BACKWARD);
        } else if (level.isEmpty()) {
            levels.remove(subject.get());
        } else {
            levels.put(subject.get(), level.get());
        }
    }

    Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    OptionalInt idOf(String identity) {
        Integer id = idByIdentity.get(identity);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    int nextId() {
        return maxId + 1;
    }

    /** The next version number of a subject: versions are never reused, even after a soft delete. */
    int nextVersion(String subject) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    List<String> subjects(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach((name, versions) -> {
            if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
                names.add(name);
            }
        });
        return names;
    }

    /** The subject's versions, oldest first; soft-deleted ones only when asked. */
    List<Version> versions(String subject, boolean includeDeleted) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
    }

    Optional<Version> latest(String subject) {
        List<Version> live = versions(subject, false);
        return live.isEmpty() ? Optional.empty() : Optional.of(live.get(live.size() - 1));
    }

    /** A live version, by number. */
    Optional<Version> version(String subject, int version) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        return Optional.ofNullable(versions == null ? null : versions.get(version)).filter(v -> !v.deleted());
    }

    /** The live version of the subject that holds this schema, if any. */
    Optional<Version> find(String subject, String identity) {
        OptionalInt id = idOf(identity);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return versions(subject, false).stream().filter(v -> v.id() == id.getAsInt()).findFirst();
    }

    /** Every live (subject, version) holding the schema id. */
    List<Version> usesOf(int id) {
        List<Version> uses = new ArrayList<>();
        subjects.values().forEach(vs -> vs.values().stream()
                .filter(v -> v.id() == id && !v.deleted())
                .forEach(uses::add));
        return uses;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(levels.get(subject));
    }

    CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).orElse(globalLevel);
    }
}

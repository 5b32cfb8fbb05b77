package io.perkamo.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A registry in memory, with Confluent's semantics: global ids from 1, one id per distinct
 * schema text whatever the subject, versions from 1 per subject, registering a schema the
 * subject already has returns its id without a new version, and compatibility is BACKWARD
 * against the latest version (the new schema must read data written with it). Errors are the
 * ones Confluent answers (404 with 40401/40402/40403, 409 for an incompatible schema), so an
 * HTTP endpoint in front of it can pass them on unchanged.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final List<Schema> schemas = new ArrayList<>(); // id - 1 -> schema
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new TreeMap<>(); // subject -> ids by version - 1

    @Override
    public synchronized int register(String subject, Schema schema) {
        String text = schema.toString();
        List<Integer> versions = subjects.getOrDefault(subject, List.of());
        Integer existing = idsByText.get(text);
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        if (!versions.isEmpty() && !canRead(schema, byId(versions.get(versions.size() - 1)))) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\"");
        }
        int id = existing != null ? existing : newId(schema, text);
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        return byId(id);
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        int count = existing(subject).size();
        List<Integer> versions = new ArrayList<>(count);
        for (int v = 1; v <= count; v++) {
            versions.add(v);
        }
        return List.copyOf(versions);
    }

    @Override
    public synchronized SubjectVersion getVersion(String subject, int version) {
        List<Integer> ids = existing(subject);
        if (version < 1 || version > ids.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND,
                    "Version " + version + " not found.");
        }
        int id = ids.get(version - 1);
        return new SubjectVersion(subject, version, id, byId(id));
    }

    @Override
    public synchronized SubjectVersion getLatestVersion(String subject) {
        return getVersion(subject, existing(subject).size());
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> ids = subjects.getOrDefault(subject, List.of());
        return ids.isEmpty() || canRead(schema, byId(ids.get(ids.size() - 1)));
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }

    private int newId(Schema schema, String text) {
        schemas.add(schema);
        int id = schemas.size();
        idsByText.put(text, id);
        return id;
    }

    private Schema byId(int id) {
        if (id < 1 || id > schemas.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + id + " not found");
        }
        return schemas.get(id - 1);
    }

    private List<Integer> existing(String subject) {
        List<Integer> ids = subjects.get(subject);
        if (ids == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        return ids;
    }
}

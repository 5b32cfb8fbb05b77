package io.perkamo.schemas.registry;

import java.util.List;

import org.apache.avro.Schema;

/**
 * The Confluent schema-registry REST subset Perkamo uses. Every method throws
 * {@link SchemaRegistryException} when the registry refuses or cannot be reached; "not found"
 * is an exception with HTTP status 404 and the Confluent error code (40401 subject, 40402
 * version, 40403 schema). Implementations are thread-safe.
 */
public interface SchemaRegistryClient {

    /**
     * Registers the schema under the subject (a no-op returning the existing id when it is
     * already there) and returns its global id. Fails with 409 when the registry finds it
     * incompatible with the subject's latest version.
     */
    int register(String subject, Schema schema);

    /** The schema with this global id; ids are immutable, so implementations cache them. */
    Schema getById(int id);

    /** All subjects, in the registry's order. */
    List<String> subjects();

    /** The subject's version numbers, ascending. */
    List<Integer> versions(String subject);

    /** One version of a subject. */
    SubjectVersion getVersion(String subject, int version);

    /** The latest version of a subject. */
    SubjectVersion getLatestVersion(String subject);

    /**
     * Whether the schema may be registered as the subject's next version, per the registry's
     * compatibility setting. A subject with no versions accepts anything.
     */
    boolean isCompatible(String subject, Schema schema);
}

package io.perkamo.schemas.registry;

import org.apache.avro.Schema;

/** One registered version of a subject: the answer to GET /subjects/{subject}/versions/{version}. */
public record SubjectVersion(String subject, int version, int id, Schema schema) {
}

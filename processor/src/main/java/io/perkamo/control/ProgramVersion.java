package io.perkamo.control;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One published version of a Space's program. The program JSON is kept as given (the core
 * module validates and compiles it); it is copied in and out, so a record never changes.
 */
public record ProgramVersion(String space, long version, Instant effectiveAt, Instant createdAt, ObjectNode program) {

    public ProgramVersion {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(program, "program");
        if (version < 1) {
            throw new IllegalArgumentException("program version must be >= 1, got " + version);
        }
        program = program.deepCopy();
    }

    /** A record of the programs control topic, as {@link ProgramStore} writes it. */
    public static ProgramVersion fromRecord(byte[] value) {
        return ControlJson.program(value);
    }

    /** A copy of the program JSON. */
    @Override
    public ObjectNode program() {
        return program.deepCopy();
    }

    @Override
    public String toString() {
        return "ProgramVersion[space=" + space + ", version=" + version + ", effectiveAt=" + effectiveAt
                + ", createdAt=" + createdAt + "]";
    }
}

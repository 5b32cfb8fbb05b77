package io.perkamo.control;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;

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

    /** This version as a record of the programs control topic (what {@link #fromRecord} reads). */
    public byte[] toRecord() {
        return ControlJson.program(this);
    }

    /**
     * This version compiled for the fold, with the rules it was published under (a version from
     * before the strict schema runs on). The stream and replay both compile through this.
     *
     * @throws IllegalArgumentException when it cannot be compiled (it was validated on upload, so
     *                                  callers skip it loudly rather than stop)
     */
    public CompiledProgram compile() {
        ProgramParse parsed = Programs.parsePublished(program);
        if (parsed instanceof ProgramParse.Invalid invalid) {
            throw new IllegalArgumentException("invalid program: " + invalid.problems());
        }
        return Programs.compile(((ProgramParse.Parsed) parsed).definition(), version, effectiveAt);
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

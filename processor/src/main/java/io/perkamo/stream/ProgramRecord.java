package io.perkamo.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;

/** A program version as the control topic holds it: which Space, which version, from when. */
record ProgramRecord(String space, long version, Instant effectiveAt, String programJson) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ProgramRecord parse(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            JsonNode effective = node.hasNonNull("effective_at") ? node.get("effective_at") : node.get("effectiveAt");
            return new ProgramRecord(node.path("space").asText(), node.path("version").asLong(),
                    Instant.parse(effective.asText()), JSON.writeValueAsString(node.get("program")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CompiledProgram compile() {
        ProgramParse parsed = Programs.parse(programJson);
        if (parsed instanceof ProgramParse.Parsed ok) {
            return Programs.compile(ok.definition(), version, effectiveAt);
        }
        throw new IllegalArgumentException("invalid program: " + ((ProgramParse.Invalid) parsed).problems());
    }
}

package io.perkamo.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The what-if of a draft program over the caller's Space (POST /v1/admin/simulate), as the API
 * sees it: bounded by a number of records and a time, both the server's.
 */
public interface Simulator {

    /**
     * @param program     the draft, as sent
     * @param effectiveAt from when the draft replaces the Space's program (empty: the beginning)
     * @param maxInputs   the caller's bound on records read (the server's bound applies anyway)
     */
    Result simulate(String space, JsonNode program, Optional<Instant> effectiveAt, OptionalLong maxInputs);

    sealed interface Result permits Summary, InvalidProgram, TooLarge, TooSlow, Busy {
    }

    /** The what-if's summary (the summary.json of {@code perkamo replay --report}). */
    record Summary(ObjectNode summary) implements Result {
    }

    record InvalidProgram(List<ProgramConfig.ConfigProblem> problems) implements Result {
        public InvalidProgram {
            problems = List.copyOf(problems);
        }
    }

    /** The Space's log holds more records than the bound. */
    record TooLarge(long limit) implements Result {
    }

    /** The fold did not finish within the server's time bound. */
    record TooSlow(long limitMillis) implements Result {
    }

    /** Another simulation runs on this instance. */
    record Busy() implements Result {
    }
}

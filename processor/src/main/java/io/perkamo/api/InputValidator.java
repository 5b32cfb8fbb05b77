package io.perkamo.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.Problem;

/**
 * The shared input rules (schemas/) as the API needs them: one JSON object of a request body
 * (or one item of a batch) in, a valid {@link Input} or every problem out. The API itself only
 * checks the envelope (well-formed JSON, an object, batch size); every field rule lives behind
 * this interface.
 */
@FunctionalInterface
public interface InputValidator {

    /** Which input the route accepts. */
    enum Kind { EVENT, IDENTIFY, REDEMPTION }

    /**
     * @param body       the parsed JSON object, unknown fields included
     * @param receivedAt receipt time, the default of {@code occurred_at}
     */
    Result parse(Kind kind, JsonNode body, Instant receivedAt);

    sealed interface Result permits Valid, Invalid {
    }

    record Valid(Input input) implements Result {
    }

    /** At least one problem, in the order found. */
    record Invalid(List<Problem> problems) implements Result {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid input has at least one problem");
            }
        }
    }
}

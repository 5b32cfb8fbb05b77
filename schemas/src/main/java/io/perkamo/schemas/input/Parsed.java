package io.perkamo.schemas.input;

import java.util.List;

/** The result of parsing an input: a valid {@link Input}, or every problem found in it. */
public sealed interface Parsed permits Parsed.Valid, Parsed.Invalid {

    record Valid(Input input) implements Parsed {
    }

    /** Never empty; in the order the fields were checked. */
    record Invalid(List<Problem> problems) implements Parsed {
        public Invalid {
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid input has at least one problem");
            }
            problems = List.copyOf(problems);
        }
    }
}

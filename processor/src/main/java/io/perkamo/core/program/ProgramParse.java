package io.perkamo.core.program;

import java.util.List;

/** Result of {@link Programs#parse}: a valid definition, or every problem found. */
public sealed interface ProgramParse {

    record Parsed(ProgramDefinition definition) implements ProgramParse {
    }

    record Invalid(List<ProgramProblem> problems) implements ProgramParse {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }
}

package io.perkamo.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The control plane's programs as the API sees them.
 */
public interface ProgramConfig {

    /** Modules of {@code /v1/admin/config/{module}}. */
    Set<String> MODULES = Set.of("program", "wallets", "levels", "rules", "perks", "achievements", "rewards",
            "webhooks");

    /** The program version in force now (SPEC section 3 shape), empty when the Space has none. */
    Optional<ObjectNode> active(String space);

    /** Validates and, when valid, publishes a new program version with this module replaced. */
    ConfigResult update(String space, String module, JsonNode body);

    /** The module as configured in the active version. */
    Optional<JsonNode> get(String space, String module);

    sealed interface ConfigResult permits Published, Invalid {
    }

    record Published(long version) implements ConfigResult {
    }

    /** Every problem found; the active version is untouched. */
    record Invalid(List<ConfigProblem> problems) implements ConfigResult {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }

    /** @param path where in the uploaded document, e.g. {@code rules[2].award[0].amount} */
    record ConfigProblem(String path, String code, String message) {
    }
}

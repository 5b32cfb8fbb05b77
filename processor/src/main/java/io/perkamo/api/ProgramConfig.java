package io.perkamo.api;

import java.time.Instant;
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

    /**
     * Validates the active program with this module replaced and, when valid and confirmed,
     * publishes it as a new version.
     */
    ConfigResult update(String space, String module, JsonNode body, PublishOptions options);

    /** The module as configured in the active version. */
    Optional<JsonNode> get(String space, String module);

    /**
     * @param effectiveAt     when the version is in force; empty: now (a Space's first program: the beginning)
     * @param allowRemovals   publish even when it removes a wallet, rule, level, reward, perk or achievement
     * @param allowBackdating publish even when in force before the active version
     */
    record PublishOptions(Optional<Instant> effectiveAt, boolean allowRemovals, boolean allowBackdating) {
        public static final PublishOptions NONE = new PublishOptions(Optional.empty(), false, false);
    }

    sealed interface ConfigResult permits Published, Invalid, RemovalsNotConfirmed, BackdatingNotConfirmed {
    }

    /** @param changes what the version changes against the one that was in force */
    record Published(long version, Instant effectiveAt, List<ConfigChange> changes) implements ConfigResult {
        public Published {
            changes = List.copyOf(changes);
        }
    }

    /** Every problem found; the active version is untouched. */
    record Invalid(List<ConfigProblem> problems) implements ConfigResult {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }

    /** The upload removes what the active version has and the caller did not confirm it. */
    record RemovalsNotConfirmed(List<ConfigChange> removals, List<ConfigChange> changes) implements ConfigResult {
        public RemovalsNotConfirmed {
            removals = List.copyOf(removals);
            changes = List.copyOf(changes);
        }
    }

    /** The effective time is before the active version's and the caller did not confirm it. */
    record BackdatingNotConfirmed(Instant requested, Instant activeEffectiveAt) implements ConfigResult {
    }

    /** @param path where in the uploaded document, e.g. {@code rules[2].award[0].amount} */
    record ConfigProblem(String path, String code, String message) {
    }

    /**
     * One change against the active version.
     *
     * @param kind    wallet, levels, level, rule, perk, achievement or reward
     * @param action  added, removed or changed
     * @param summary one line for people, e.g. "rule `welcome` removed"
     */
    record ConfigChange(String kind, String key, String action, String summary) {
    }
}

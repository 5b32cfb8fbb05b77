package io.perkamo.core.fold;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.perkamo.core.cel.Condition;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;

/**
 * The fold: {@code (program, state, prior decisions, input) -> (state, outcome, dedup writes)}.
 * Pure and deterministic: no clock, no I/O; time is the input's occurred_at. This class answers
 * retries and conflicts; a new input is evaluated by a {@link Fold}.
 */
public final class Engine {
    public static final String CONDITION_FALSE = "condition_false";
    public static final String CONDITION_ERROR = Condition.CONDITION_ERROR;
    public static final String LIMIT_REACHED = "limit_reached";
    public static final String UNKNOWN_TRANSACTION = "unknown_transaction";
    public static final String ALREADY_REVERSED = "already_reversed";
    public static final String INSUFFICIENT_BALANCE = "insufficient_balance";
    public static final String LEVEL_REQUIRED = "level_required";
    public static final String UNKNOWN_REWARD = "unknown_reward";
    public static final String NOTHING_AWARDED = "nothing_awarded";

    private Engine() {
    }

    public static Decision decide(CompiledProgram program, ProfileState state, DecisionLookup lookup, Input input) {
        Optional<String> txId = input.transactionId();
        if (txId.isEmpty()) {
            return new Fold(program, state, lookup, input).run(Optional.empty());
        }
        String fingerprint = Fingerprint.of(input);
        Optional<PriorDecision> prior = lookup.find(txId.get());
        if (prior.isPresent()) {
            return Fingerprint.matches(prior.get().fingerprint(), fingerprint, input)
                    ? duplicate(program, state, input, prior.get())
                    : conflict(program, state, input);
        }
        return new Fold(program, state, lookup, input).run(Optional.of(fingerprint));
    }

    /** A retry: the original answer with today's wallets and level; nothing changes. */
    private static Decision duplicate(CompiledProgram program, ProfileState state, Input input, PriorDecision prior) {
        Outcome outcome = outcome(input, program.version(), prior.status(), prior.reason(), false, true,
                prior.delta(), prior.leveledUp(), prior.unlocked(), program, state, List.of(), Optional.empty());
        return new Decision(state, outcome, Map.of());
    }

    private static Decision conflict(CompiledProgram program, ProfileState state, Input input) {
        String message = "transaction_id " + input.transactionId().orElse("")
                + " was already used with a different payload";
        Outcome outcome = outcome(input, program.version(), Outcome.Status.REJECTED,
                Optional.of(ErrorCodes.IDEMPOTENCY_CONFLICT), false, false, List.of(), false, List.of(), program,
                state, List.of(), Optional.of(new Outcome.ErrorInfo(ErrorCodes.IDEMPOTENCY_CONFLICT, message)));
        return new Decision(state, outcome, Map.of());
    }

    static Outcome outcome(Input input, long programVersion, Outcome.Status status, Optional<String> reason,
                           boolean applied, boolean duplicate, List<WalletAmount> delta, boolean leveledUp,
                           List<Unlock> unlocked, CompiledProgram program, ProfileState state, List<Effect> effects,
                           Optional<Outcome.ErrorInfo> error) {
        Optional<String> event = input instanceof Input.Event e ? Optional.of(e.event()) : Optional.empty();
        Optional<String> reward = input instanceof Input.Redemption r ? Optional.of(r.reward()) : Optional.empty();
        return new Outcome(input.userId(), input.kind(), input.transactionId(), event, reward, input.occurredAt(),
                programVersion, status, reason, applied, duplicate, delta, leveledUp, unlocked,
                walletState(program, state), Levels.view(program, state), effects, error);
    }

    /** Every program wallet (0 when untouched), then any other wallet the profile holds. */
    static Map<String, Long> walletState(CompiledProgram program, ProfileState state) {
        return new WalletState(program, state);
    }
}

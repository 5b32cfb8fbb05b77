package io.perkamo.core.fold;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.perkamo.schemas.input.Input;

/**
 * The property tests' reference model of the fold ({@link FoldPropertiesTest.Model}: written
 * from the SPEC, sharing nothing with the Engine), opened to other test packages so the fault
 * injection can check what the processes computed. One instance folds one user's inputs.
 *
 * <p>The program it models has wallets a and b and the rules of
 * {@link FoldPropertiesTest.Version#yaml()}: e.earn awards a = n * mult (when n > threshold,
 * at most limitPerDay times in the UTC day of its event time, the 32 latest such days remembered)
 * and b = fixedB; e.burn takes n from a; e.undo reverses
 * the transaction named by context.ref; reward r costs {@code cost} of a.
 */
public final class ReferenceFold {
    /** The one program version's parameters. */
    public record Program(long mult, long fixedB, Optional<Long> threshold, Optional<Integer> limitPerDay, long cost) {
        FoldPropertiesTest.Version version() {
            return new FoldPropertiesTest.Version(1, 0, mult, fixedB, threshold, limitPerDay, cost);
        }

        /** The program as YAML (for perkamo program apply / ProgramStore). */
        public String yaml() {
            return version().yaml();
        }

        /** The time from which the model considers the program in force. */
        public Instant effectiveAt() {
            return version().effectiveAt();
        }
    }

    private final FoldPropertiesTest.Model model;

    public ReferenceFold(Program program) {
        this.model = new FoldPropertiesTest.Model(List.of(program.version()));
    }

    /**
     * @param payload identifies the input's payload for dedup: equal for a retry, different for a
     *                conflicting reuse of a transaction_id
     */
    public void apply(Input input, String payload) {
        model.apply(new FoldPropertiesTest.Sent(input, payload));
    }

    public long balance(String wallet) {
        return model.balance.getOrDefault(wallet, 0L);
    }

    public long earned(String wallet) {
        return model.earned.getOrDefault(wallet, 0L);
    }

    /** Inputs applied (the profile's version). */
    public long applied() {
        return model.applied;
    }

    public int duplicates() {
        return model.duplicates;
    }
}

package io.perkamo.core.step;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.perkamo.core.codec.DecisionCodec;
import io.perkamo.core.codec.OutcomeCodec;
import io.perkamo.core.codec.ProfileCodec;
import io.perkamo.core.codec.StoreCodecs;
import io.perkamo.core.fold.Decision;
import io.perkamo.core.fold.DecisionLookup;
import io.perkamo.core.fold.Engine;
import io.perkamo.core.fold.PriorDecision;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.StoredDecision;
import io.perkamo.schemas.input.Input;

/**
 * One input, all the way from stored state to the records the stream writes: picks the program
 * version in force at the input's event time, folds, and encodes the dedup entries, the new
 * profile (only when the state changed) and the outcome. The stream, replay, what-if and the
 * console's dry run all call this, so they write the same bytes. Pure: time is the input's
 * event time and the caller's record time.
 */
public final class FoldStep {
    private FoldStep() {
    }

    /**
     * Folds {@code input} into {@code state}.
     *
     * @param state      the user's state as {@link #decodeProfile} gives it for the stored bytes,
     *                   {@link ProfileState#empty} when none, or a previous {@link Result#next()}
     * @param lookup     this user's stored decisions ({@link #decodeDecision} of their bytes, or kept in memory)
     * @param recordedAt the record time: the dedup entries' {@code recorded_at}, which retention counts from
     */
    public static Result apply(ProgramHistory programs, ProfileState state, DecisionLookup lookup, Input input,
                               Instant recordedAt) {
        CompiledProgram program = programs.inForceAt(input.occurredAt());
        Decision decision = Engine.decide(program, state, lookup, input);
        List<DecisionWrite> decisions = decisionWrites(decision.writes(), recordedAt);
        Optional<ProfileWrite> profile = Optional.empty();
        if (!decision.state().equals(state)) {
            Profile record = ProfileCodec.toAvro(decision.state(), program);
            profile = Optional.of(new ProfileWrite(record, StoreCodecs.encode(record)));
        }
        Outcome outcome = OutcomeCodec.toAvro(decision.outcome());
        return new Result(program, state, decision, decisions, profile, outcome);
    }

    private static List<DecisionWrite> decisionWrites(Map<String, PriorDecision> writes, Instant recordedAt) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<DecisionWrite> out = new ArrayList<>(writes.size());
        for (Map.Entry<String, PriorDecision> write : writes.entrySet()) {
            StoredDecision stored = DecisionCodec.toAvro(write.getValue());
            stored.setRecordedAt(recordedAt);
            out.add(new DecisionWrite(write.getKey(), stored, StoreCodecs.encode(stored)));
        }
        return Collections.unmodifiableList(out);
    }

    /** The state a profile store value holds. */
    public static ProfileState decodeProfile(byte[] stored) {
        return ProfileCodec.fromAvro(StoreCodecs.decodeProfile(stored));
    }

    /** The decision a dedup store value holds. */
    public static PriorDecision decodeDecision(byte[] stored) {
        return DecisionCodec.fromAvro(StoreCodecs.decodeDecision(stored));
    }

    /**
     * Whether the fold's new state may stand for its written bytes (in a cache, or a replay's
     * memory) instead of a decode of them: only when its traits are the ones it started from.
     * Traits written and read back may change representation (a BigDecimal comes back as a
     * double), and whoever decodes (a restart, a replay) must see exactly what this run saw.
     * {@code previous} must itself be a decoded state (or empty, or one this rule kept).
     */
    public static boolean standsForItsBytes(ProfileState next, ProfileState previous) {
        return next.traits() == previous.traits();
    }

    /**
     * What one input did.
     *
     * @param program   the version in force at the input's event time
     * @param before    the state the input was folded into
     * @param decision  the core decision (new state, outcome, dedup entries by transaction_id)
     * @param decisions the dedup store writes, in order (a reversal rewrites an earlier entry first)
     * @param profile   the new profile for the store and the profiles topic; empty when the state did not change
     * @param outcome   the outcomes topic record
     */
    public record Result(CompiledProgram program, ProfileState before, Decision decision,
                         List<DecisionWrite> decisions, Optional<ProfileWrite> profile, Outcome outcome) {

        /** The state this user's next input starts from: the one a decode of the stored profile gives. */
        public ProfileState next() {
            if (profile.isEmpty() || standsForItsBytes(decision.state(), before)) {
                return decision.state();
            }
            return decodeProfile(profile.get().bytes());
        }
    }

    /** One dedup store entry: the Avro record (recorded_at set) and its store bytes (do not modify). */
    public record DecisionWrite(String transactionId, StoredDecision record, byte[] bytes) {
    }

    /** The new profile: the Avro record (the profiles topic's value) and its store bytes (do not modify). */
    public record ProfileWrite(Profile record, byte[] bytes) {
    }
}

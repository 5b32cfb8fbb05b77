package io.perkamo.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.perkamo.core.codec.ProfileCodec;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.program.Programs;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.InputParser;
import io.perkamo.schemas.input.Parsed;
import io.perkamo.schemas.input.Problem;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A sample input through the draft program with the stream's own {@link FoldStep}: the draft is
 * the only version (in force from the beginning), the input is parsed and validated as the API
 * parses it, the state is the customer's current profile when there is one, else a new one, and
 * no earlier decisions exist (so it is never a duplicate). Nothing is written anywhere.
 */
final class DryRun {
    sealed interface Result permits Folded, BadInput {
    }

    /** @param fromProfile whether the input was folded into the customer's current profile */
    record Folded(Outcome outcome, boolean fromProfile) implements Result {
    }

    record BadInput(List<Problem> problems) implements Result {
    }

    private DryRun() {
    }

    static Result run(ProgramDefinition draft, long version, JsonNode input, Optional<Profile> current, Instant now) {
        Parsed parsed = InputParser.parseJson(input, now);
        if (parsed instanceof Parsed.Invalid invalid) {
            return new BadInput(invalid.problems());
        }
        Input in = ((Parsed.Valid) parsed).input();
        CompiledProgram program = Programs.compile(draft, version, Instant.EPOCH);
        ProfileState state = current.map(ProfileCodec::fromAvro).orElseGet(() -> ProfileState.empty(in.userId()));
        FoldStep.Result result = FoldStep.apply(ProgramHistory.of(program), state, tx -> Optional.empty(), in, now);
        return new Folded(result.outcome(), current.isPresent());
    }

    /** Wallet balances after the input, sorted by wallet. */
    static List<Model.BalanceRow> balances(Outcome outcome) {
        return new java.util.TreeMap<>(outcome.getWalletState()).entrySet().stream()
                .map((Map.Entry<String, Long> e) -> new Model.BalanceRow(e.getKey(), Formats.number(e.getValue())))
                .toList();
    }
}

package io.perkamo.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import io.perkamo.core.fold.Decision;
import io.perkamo.core.fold.Engine;
import io.perkamo.core.fold.PriorDecision;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.schemas.avro.StoredDecision;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;
import io.perkamo.core.codec.DecisionCodec;
import io.perkamo.core.codec.OutcomeCodec;
import io.perkamo.core.codec.ProfileCodec;
import io.perkamo.core.codec.StoreCodecs;

/**
 * The guard for refactors and optimisations of the fold: folds the benchmark's 200,000 inputs
 * (10,000 users, seed 42, demo program) and prints one SHA-256 over every byte the stream would
 * write for them: each outcome as JSON and as Avro, each changed profile as the store's Avro and
 * as JSON, and each dedup entry. The value must not change when the code changes shape.
 *
 * <p>Not a test; run {@code main} with the test class path (see {@link FoldBenchmark}).
 */
public final class FoldOutputHash {
    private FoldOutputHash() {
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int inputs = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        System.out.println(hash(users, inputs));
    }

    static String hash(int users, int inputs) throws Exception {
        ProgramParse parsed = Programs.parse(FoldBenchmark.demoProgram());
        CompiledProgram program = Programs.compile(((ProgramParse.Parsed) parsed).definition(), 1, Instant.EPOCH);
        Input[] generated = FoldBenchmark.generate(users, inputs, new SplittableRandom(42));
        Map<String, ProfileState> states = new HashMap<>();
        Map<String, Map<String, PriorDecision>> decisions = new HashMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Input input : generated) {
            String user = input.userId();
            ProfileState state = states.getOrDefault(user, ProfileState.empty(user));
            Map<String, PriorDecision> store = decisions.computeIfAbsent(user, u -> new HashMap<>());
            Decision d = Engine.decide(program, state, tx -> Optional.ofNullable(store.get(tx)), input);
            for (Map.Entry<String, PriorDecision> w : d.writes().entrySet()) {
                StoredDecision stored = DecisionCodec.toAvro(w.getValue());
                stored.setRecordedAt(input.occurredAt());
                sha.update(w.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(StoreCodecs.encode(stored));
            }
            if (!d.state().equals(state)) {
                var profile = ProfileCodec.toAvro(d.state(), program);
                sha.update(StoreCodecs.encode(profile));
                sha.update(ProfileJson.bytes(profile));
            }
            var outcome = OutcomeCodec.toAvro(d.outcome());
            sha.update(OutcomeJson.bytes(outcome));
            sha.update(outcome.toByteBuffer());
            states.put(user, d.state());
            store.putAll(d.writes());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

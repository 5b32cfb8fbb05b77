package io.perkamo.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;

/**
 * The guard for refactors and optimisations of the fold: folds the benchmark's 200,000 inputs
 * (10,000 users, seed 42, demo program) and prints one SHA-256 over every byte the stream would
 * write for them: each outcome as JSON and as Avro, each changed profile as the store's Avro and
 * as JSON, and each dedup entry. The value must not change when the code changes shape.
 * It runs {@link FoldStep}, as the stream does: the store keeps bytes, and a state is carried
 * to the user's next input as {@link FoldStep.Result#next()} gives it.
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
        ProgramHistory programs = ProgramHistory.of(
                Programs.compile(((ProgramParse.Parsed) parsed).definition(), 1, Instant.EPOCH));
        Input[] generated = FoldBenchmark.generate(users, inputs, new SplittableRandom(42));
        Map<String, ProfileState> states = new HashMap<>();
        // the dedup store as the stream keeps it: bytes, decoded on lookup
        Map<String, Map<String, byte[]>> decisions = new HashMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Input input : generated) {
            String user = input.userId();
            ProfileState state = states.getOrDefault(user, ProfileState.empty(user));
            Map<String, byte[]> store = decisions.computeIfAbsent(user, u -> new HashMap<>());
            FoldStep.Result result = FoldStep.apply(programs, state,
                    tx -> Optional.ofNullable(store.get(tx)).map(FoldStep::decodeDecision), input, input.occurredAt());
            for (FoldStep.DecisionWrite w : result.decisions()) {
                sha.update(w.transactionId().getBytes(StandardCharsets.UTF_8));
                sha.update(w.bytes());
                store.put(w.transactionId(), w.bytes());
            }
            if (result.profile().isPresent()) {
                sha.update(result.profile().get().bytes());
                sha.update(ProfileJson.bytes(result.profile().get().record()));
            }
            sha.update(OutcomeJson.bytes(result.outcome()));
            sha.update(result.outcome().toByteBuffer());
            states.put(user, result.next());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

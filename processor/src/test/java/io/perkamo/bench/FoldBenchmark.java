package io.perkamo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.fold.Decision;
import io.perkamo.core.fold.Engine;
import io.perkamo.core.fold.PriorDecision;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.input.Input;

/**
 * Throughput of {@link Engine#decide} ({@code decide}) and of the whole {@link FoldStep} with its
 * encoding ({@code step}) with the demo program (a CEL condition, a formula, levels, a daily
 * limit, achievements, refunds, redemptions) over pre-generated inputs for 10k users; profiles
 * and dedup entries live in HashMaps, as a stand-in for the state stores.
 *
 * <p>Not a test. Run it with (the reactor resolves the schemas module; it is never installed):
 * <pre>
 * mvn -o -q -pl processor -am test-compile dependency:build-classpath -Dmdep.outputFile=$PWD/processor/target/cp.txt -Dmdep.includeScope=test
 * java -cp processor/target/test-classes:processor/target/classes:schemas/target/classes:$(cat processor/target/cp.txt) \
 *     org.openjdk.jmh.Main FoldBenchmark -wi 2 -i 3 -f 1 -w 2s -r 3s
 * </pre>
 * ({@code FoldBenchmark.decide} for the fold alone) or {@code main} of this class with the same
 * class path. On a shared box add {@code -prof io.perkamo.bench.CpuTimeProfiler}: ops per CPU
 * second of the benchmark thread ({@code cpu.thread}) compare two builds far more steadily than
 * ops per wall-clock second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class FoldBenchmark {
    @Param("10000")
    int users;

    /** Inputs per pass; the states are reset when a pass wraps so every input stays fresh. */
    @Param("200000")
    int inputs;

    private CompiledProgram program;
    private ProgramHistory programs;
    private Input[] generated;
    private Map<String, ProfileState> states;
    private Map<String, Map<String, PriorDecision>> decisions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        ProgramParse parsed = Programs.parse(demoProgram());
        if (!(parsed instanceof ProgramParse.Parsed p)) {
            throw new IllegalStateException("demo program does not parse: " + parsed);
        }
        program = Programs.compile(p.definition(), 1, Instant.EPOCH);
        programs = ProgramHistory.of(program);
        generated = generate(users, inputs, new SplittableRandom(42));
        reset();
    }

    private void reset() {
        states = new HashMap<>(users * 2);
        decisions = new HashMap<>(users * 2);
        next = 0;
    }

    @Benchmark
    public Decision decide() {
        if (next == generated.length) {
            reset();
        }
        Input input = generated[next++];
        String user = input.userId();
        ProfileState state = states.get(user);
        if (state == null) {
            state = ProfileState.empty(user);
        }
        Map<String, PriorDecision> store = decisions.computeIfAbsent(user, u -> new HashMap<>());
        Decision d = Engine.decide(program, state, tx -> Optional.ofNullable(store.get(tx)), input);
        states.put(user, d.state());
        store.putAll(d.writes());
        return d;
    }

    /**
     * The whole step as replay runs it: the fold plus the Avro records and store bytes of every
     * write; states and decisions stay in memory ({@link FoldStep.Result#next()}).
     */
    @Benchmark
    public FoldStep.Result step() {
        if (next == generated.length) {
            reset();
        }
        Input input = generated[next++];
        String user = input.userId();
        ProfileState state = states.get(user);
        if (state == null) {
            state = ProfileState.empty(user);
        }
        Map<String, PriorDecision> store = decisions.computeIfAbsent(user, u -> new HashMap<>());
        FoldStep.Result result = FoldStep.apply(programs, state, tx -> Optional.ofNullable(store.get(tx)), input,
                input.occurredAt());
        states.put(user, result.next());
        store.putAll(result.decision().writes());
        return result;
    }

    /** 55% purchases (mostly CZK), 25% lessons, 5% registrations, 5% refunds, 5% identifies, 5% redemptions. */
    static Input[] generate(int users, int count, SplittableRandom random) {
        Input[] out = new Input[count];
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        String[] lastPurchase = new String[users];
        JsonNodeFactory f = JsonNodeFactory.instance;
        for (int i = 0; i < count; i++) {
            t = t.plus(Duration.ofSeconds(random.nextInt(1, 60)));
            int u = random.nextInt(users);
            String user = "user-" + u;
            String tx = "tx-" + i;
            int roll = random.nextInt(100);
            ObjectNode ctx = f.objectNode();
            if (roll < 55) {
                ctx.put("amount", random.nextLong(100, 500_000));
                ctx.put("currency", random.nextInt(10) == 0 ? "EUR" : "CZK");
                ctx.put("order_id", "o-" + i);
                lastPurchase[u] = tx;
                out[i] = new Input.Event(user, tx, "purchase.completed", ctx, t);
            } else if (roll < 80) {
                ctx.put("lesson", "l-" + random.nextInt(50));
                out[i] = new Input.Event(user, tx, "lesson.finished", ctx, t);
            } else if (roll < 85) {
                out[i] = new Input.Event(user, tx, "user.registered", ctx, t);
            } else if (roll < 90) {
                ctx.put("order_transaction_id", lastPurchase[u] == null ? "none" : lastPurchase[u]);
                out[i] = new Input.Event(user, tx, "purchase.refunded", ctx, t);
            } else if (roll < 95) {
                ctx.put("plan", random.nextBoolean() ? "pro" : "free");
                out[i] = new Input.Identify(user, Optional.empty(), ctx, t);
            } else {
                out[i] = new Input.Redemption(user, tx, "coffee", ctx, t);
            }
        }
        return out;
    }

    static String demoProgram() {
        try (InputStream in = FoldBenchmark.class.getResourceAsStream("/demo-program.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(FoldBenchmark.class.getSimpleName()).build()).run();
    }
}

package io.perkamo.core.cel;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * A rule's {@code when}: a CEL expression over {@code context}, {@code event}, {@code traits},
 * {@code wallets} and {@code level} that must type-check to bool. Compiled once per program
 * version; evaluation is bounded (CEL has no loops; comprehensions are capped) and never throws.
 */
public final class Condition {
    /** Reason of a rule skipped because its condition failed at runtime. */
    public static final String CONDITION_ERROR = "condition_error";

    static final int MAX_SOURCE_CODE_POINTS = 4096;
    static final int MAX_COMPREHENSION_ITERATIONS = 1000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(MAX_SOURCE_CODE_POINTS)
            .maxParseRecursionDepth(64)
            .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
            // JSON decimals arrive as double: let "context.total > 100" work for 100.5 too
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("context", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("event", SimpleType.STRING)
            .addVar("traits", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("wallets", MapType.create(SimpleType.STRING, SimpleType.INT))
            .addVar("level", SimpleType.INT)
            .setResultType(SimpleType.BOOL)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .build();

    private final String source;
    private final CelRuntime.Program program;
    private final Optional<FastCondition> fast;

    private Condition(String source, CelRuntime.Program program, Optional<FastCondition> fast) {
        this.source = source;
        this.program = program;
        this.fast = fast;
    }

    /** Compiles and type-checks; the failure message carries CEL's line:column diagnostics. */
    public static Compilation compile(String source) {
        Objects.requireNonNull(source, "source");
        CelValidationResult result;
        try {
            result = COMPILER.compile(source);
        } catch (RuntimeException e) {
            return new Compilation.Failed("does not compile: " + e.getMessage());
        }
        if (result.hasError()) {
            return new Compilation.Failed(result.getErrorString());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Compilation.Compiled(
                    new Condition(source, RUNTIME.createProgram(ast), FastCondition.of(ast.getExpr())));
        } catch (CelValidationException | CelEvaluationException e) {
            return new Compilation.Failed(e.getMessage());
        }
    }

    public String source() {
        return source;
    }

    /**
     * As {@link #evaluate(Bindings)} over the same facts; the common shapes of conditions are
     * answered without building the bindings or running CEL (see {@link FastCondition}).
     */
    public Evaluation evaluate(Facts facts) {
        if (fast.isPresent()) {
            int result = fast.get().test(facts);
            if (result != FastCondition.UNKNOWN) {
                return result == FastCondition.TRUE ? Evaluation.TRUE : Evaluation.FALSE;
            }
        }
        return evaluate(facts.bindings());
    }

    /** Whether {@link #evaluate(Facts)} can answer without CEL for some facts; for tests. */
    boolean hasFastPath() {
        return fast.isPresent();
    }

    /** The fast path's own answer (FastCondition.TRUE, FALSE or UNKNOWN); for tests. */
    int fastTest(Facts facts) {
        return fast.map(f -> f.test(facts)).orElse(FastCondition.UNKNOWN);
    }

    /** True or false; a runtime error (missing key, type mismatch, too many iterations) is an Error. */
    public Evaluation evaluate(Bindings bindings) {
        Map<String, Object> vars = Map.of(
                "context", bindings.context(),
                "event", bindings.event(),
                "traits", bindings.traits(),
                "wallets", bindings.wallets(),
                "level", bindings.level());
        try {
            Object value = program.eval(vars);
            if (value instanceof Boolean b) {
                return b ? Evaluation.TRUE : Evaluation.FALSE;
            }
            return new Evaluation.Error("condition did not yield a bool");
        } catch (CelEvaluationException | RuntimeException e) {
            return new Evaluation.Error(firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "evaluation failed";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public String toString() {
        return source;
    }

    public sealed interface Compilation {
        record Compiled(Condition condition) implements Compilation {
        }

        record Failed(String message) implements Compilation {
        }
    }

    public sealed interface Evaluation {
        Evaluation TRUE = new Holds(true);
        Evaluation FALSE = new Holds(false);

        record Holds(boolean value) implements Evaluation {
        }

        record Error(String message) implements Evaluation {
        }
    }

    /**
     * What a condition reads, as the fold holds it: the JSON of the input and the profile, the
     * wallets and level before the input. {@link #bindings()} gives the same as CEL bindings,
     * built (once) only when CEL itself has to run.
     */
    public interface Facts {
        ObjectNode context();

        String event();

        ObjectNode traits();

        /** Whether {@code wallets} holds the key (every program wallet, then any the profile has). */
        boolean hasWallet(String key);

        long wallet(String key);

        long level();

        Bindings bindings();
    }

    /** CEL inputs, already converted with {@link CelValues}. */
    public record Bindings(Map<String, Object> context, String event, Map<String, Object> traits,
                           Map<String, Long> wallets, long level) {
    }
}

package io.perkamo.core.cel;

import java.util.Map;
import java.util.Objects;

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

    private Condition(String source, CelRuntime.Program program) {
        this.source = source;
        this.program = program;
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
            return new Compilation.Compiled(new Condition(source, RUNTIME.createProgram(ast)));
        } catch (CelValidationException | CelEvaluationException e) {
            return new Compilation.Failed(e.getMessage());
        }
    }

    public String source() {
        return source;
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

    /** CEL inputs, already converted with {@link CelValues}. */
    public record Bindings(Map<String, Object> context, String event, Map<String, Object> traits,
                           Map<String, Long> wallets, long level) {
    }
}

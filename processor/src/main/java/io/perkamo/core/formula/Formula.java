package io.perkamo.core.formula;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An integer formula over context values, parsed once and evaluated many times.
 *
 * <p>Grammar: int literals, {@code {{dotted.path}}} references into the context, {@code + - * / %},
 * unary minus, parentheses, {@code min(a, b, ...)} and {@code max(a, b, ...)}. Division and
 * remainder truncate toward zero (Java semantics). Evaluation never throws: a division by zero,
 * an overflow, a missing path or a non-numeric value yields a {@link FormulaResult.Failed}.
 *
 * <p>Referenced values may be JSON integers, decimals with a zero fraction ({@code 100.0}) or
 * strings holding a plain integer ({@code "12900"}). Fractional values ({@code 129.9}) are
 * rejected as {@code non_numeric_value} rather than truncated: amounts are integers in minor
 * units, and silently rounding money would hide a producer bug.
 */
public final class Formula {
    public static final String DIVISION_BY_ZERO = "division_by_zero";
    public static final String OVERFLOW = "overflow";
    public static final String MISSING_VALUE = "missing_value";
    public static final String NON_NUMERIC_VALUE = "non_numeric_value";

    private static final Pattern PLAIN_INTEGER = Pattern.compile("[+-]?[0-9]+");

    private final String source;
    private final Expr root;

    Formula(String source, Expr root) {
        this.source = source;
        this.root = root;
    }

    /** Parses a formula; throws {@link FormulaSyntaxException} with the position of the error. */
    public static Formula parse(String source) {
        Objects.requireNonNull(source, "source");
        return new Formula(source, new Parser(source).parseAll());
    }

    /** A formula that always yields {@code value} (an int amount in a program). */
    public static Formula constant(long value) {
        return new Formula(Long.toString(value), new Expr.Literal(value));
    }

    public String source() {
        return source;
    }

    /** The constant value when the formula references nothing; lets callers print ints as ints. */
    public java.util.Optional<Long> constantValue() {
        return root instanceof Expr.Literal lit ? java.util.Optional.of(lit.value()) : java.util.Optional.empty();
    }

    public FormulaResult evaluate(ObjectNode context) {
        try {
            return new FormulaResult.Value(eval(root, context));
        } catch (Failure f) {
            return new FormulaResult.Failed(f.reason, f.getMessage());
        }
    }

    private static long eval(Expr expr, ObjectNode context) {
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed tree
        if (expr instanceof Expr.Literal lit) {
            return lit.value();
        }
        if (expr instanceof Expr.Ref ref) {
            return resolve(ref.path(), context);
        }
        if (expr instanceof Expr.Neg neg) {
            long v = eval(neg.operand(), context);
            if (v == Long.MIN_VALUE) {
                throw new Failure(OVERFLOW, "overflow negating " + v);
            }
            return -v;
        }
        if (expr instanceof Expr.Binary bin) {
            return binary(bin.op(), eval(bin.left(), context), eval(bin.right(), context));
        }
        Expr.Call call = (Expr.Call) expr;
        long acc = eval(call.args().get(0), context);
        for (int i = 1; i < call.args().size(); i++) {
            long v = eval(call.args().get(i), context);
            acc = call.max() ? Math.max(acc, v) : Math.min(acc, v);
        }
        return acc;
    }

    private static long binary(char op, long a, long b) {
        try {
            return switch (op) {
                case '+' -> Math.addExact(a, b);
                case '-' -> Math.subtractExact(a, b);
                case '*' -> Math.multiplyExact(a, b);
                case '/' -> {
                    if (b == 0) {
                        throw new Failure(DIVISION_BY_ZERO, "division by zero");
                    }
                    if (a == Long.MIN_VALUE && b == -1) {
                        throw new Failure(OVERFLOW, "overflow dividing " + a + " by -1");
                    }
                    yield a / b;
                }
                case '%' -> {
                    if (b == 0) {
                        throw new Failure(DIVISION_BY_ZERO, "remainder by zero");
                    }
                    yield b == -1 ? 0 : a % b;
                }
                default -> throw new IllegalStateException("operator " + op);
            };
        } catch (ArithmeticException e) {
            throw new Failure(OVERFLOW, "overflow in " + a + " " + op + " " + b);
        }
    }

    private static long resolve(List<String> path, ObjectNode context) {
        JsonNode node = context;
        for (String segment : path) {
            if (node == null) {
                break;
            }
            if (node.isObject()) {
                node = node.get(segment);
            } else if (node.isArray() && isIndex(segment)) {
                node = node.get(Integer.parseInt(segment));
            } else {
                node = null;
            }
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new Failure(MISSING_VALUE, "context." + String.join(".", path) + " is missing");
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new Failure(OVERFLOW, "context." + String.join(".", path) + " does not fit in 64 bits");
            }
            return node.longValue(); // the common case: no name needed, none joined
        }
        String name = String.join(".", path);
        if (node.isNumber()) {
            return exactLong(node.decimalValue(), name);
        }
        if (node.isTextual() && PLAIN_INTEGER.matcher(node.textValue()).matches()) {
            return exactLong(new BigDecimal(node.textValue()), name);
        }
        throw new Failure(NON_NUMERIC_VALUE, "context." + name + " is not an integer");
    }

    private static long exactLong(BigDecimal value, String name) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            throw new Failure(NON_NUMERIC_VALUE, "context." + name + " has a fraction; amounts are integers");
        }
        try {
            return stripped.longValueExact();
        } catch (ArithmeticException e) {
            throw new Failure(OVERFLOW, "context." + name + " does not fit in 64 bits");
        }
    }

    private static boolean isIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Formula f && f.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }

    /** Control flow for evaluation failures; no stack trace, it is an expected outcome. */
    private static final class Failure extends RuntimeException {
        private final String reason;

        Failure(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}

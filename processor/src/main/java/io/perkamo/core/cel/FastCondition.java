package io.perkamo.core.cel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cel.common.Operator;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

/**
 * The common shapes of a condition as plain Java over the input's JSON, so that most inputs need
 * neither CEL bindings nor the CEL interpreter: comparisons of context, traits, wallets, level
 * and event with literals ({@code == != < <= > >=}), {@code in} a list of literals,
 * {@code has()}, {@code && || !}.
 *
 * <p>It answers only where the answer is certain: strings compared for (in)equality, ints with
 * ints, bools with bools, each read exactly as {@link CelValues} would convert it. Everything
 * else (a missing key, which is a CEL error with CEL's message; a decimal; mixed types) is
 * {@link #UNKNOWN}, and the caller runs CEL, which decides as before. {@code &&} and {@code ||}
 * follow CEL: a false (true) side decides even when the other side is an error.
 */
final class FastCondition {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = -1;
    /**
     * A value that is not a bool where a bool is needed: CEL fails the whole {@code ||} or
     * {@code &&} then, instead of letting the other side decide as it does for errors, so it
     * leaves everything above it to CEL.
     */
    private static final int NOT_BOOL = -2;

    /** What a {@link Value} reads where CEL would fail: a missing key, or a member of a non-map. */
    private static final Object MISSING = new Object();
    /** What a {@link Value} reads for null, decimals, big integers, lists and maps: CEL decides. */
    private static final Object OTHER = new Object();

    /** Operators by their function name in the AST ({@code _==_}, {@code @in}, ...). */
    private static final Map<String, Operator> OPERATORS = Arrays.stream(Operator.values())
            .collect(Collectors.toUnmodifiableMap(Operator::getFunction, op -> op, (a, b) -> a));

    private final Test root;

    private FastCondition(Test root) {
        this.root = root;
    }

    /** The fast form of a checked expression; empty when it uses anything outside the subset. */
    static Optional<FastCondition> of(CelExpr expr) {
        try {
            return Optional.of(new FastCondition(test(expr)));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    /** TRUE, FALSE or UNKNOWN (ask CEL). */
    int test(Condition.Facts facts) {
        int result = root.test(facts);
        return result == NOT_BOOL ? UNKNOWN : result;
    }

    // ---- compiling ------------------------------------------------------------------------

    private static Test test(CelExpr e) {
        switch (e.getKind()) {
            case CALL -> {
                CelExpr.CelCall call = e.call();
                Operator op = call.target().isPresent() ? null : OPERATORS.get(call.function());
                List<CelExpr> args = call.args();
                if (op == Operator.LOGICAL_AND && args.size() == 2) {
                    return new And(test(args.get(0)), test(args.get(1)));
                }
                if (op == Operator.LOGICAL_OR && args.size() == 2) {
                    return new Or(test(args.get(0)), test(args.get(1)));
                }
                if (op == Operator.LOGICAL_NOT && args.size() == 1) {
                    return new Not(test(args.get(0)));
                }
                if (op == Operator.IN && args.size() == 2) {
                    return new In(value(args.get(0)), literals(args.get(1)));
                }
                if (op != null && args.size() == 2 && Compare.supports(op)) {
                    return new Compare(op, value(args.get(0)), value(args.get(1)));
                }
                if (op == Operator.INDEX) {
                    return new IsTrue(value(e));
                }
                throw new Unsupported();
            }
            case SELECT -> {
                if (e.select().testOnly()) {
                    return has(e.select().operand(), e.select().field());
                }
                return new IsTrue(value(e));
            }
            case IDENT, CONSTANT -> {
                return new IsTrue(value(e));
            }
            default -> throw new Unsupported();
        }
    }

    private static Value value(CelExpr e) {
        switch (e.getKind()) {
            case CONSTANT -> {
                CelConstant c = e.constant();
                return switch (c.getKind()) {
                    case STRING_VALUE -> new Literal(c.stringValue());
                    case INT64_VALUE -> new Literal(c.int64Value());
                    case BOOLEAN_VALUE -> new Literal(c.booleanValue());
                    default -> throw new Unsupported();
                };
            }
            case IDENT -> {
                return switch (e.ident().name()) {
                    case "event" -> Variable.EVENT;
                    case "level" -> Variable.LEVEL;
                    default -> throw new Unsupported();
                };
            }
            case SELECT -> {
                if (e.select().testOnly()) {
                    throw new Unsupported();
                }
                return member(e.select().operand(), e.select().field());
            }
            case CALL -> {
                CelExpr.CelCall call = e.call();
                // m['key'] reads a map as m.key does
                if (call.target().isEmpty() && Operator.INDEX.getFunction().equals(call.function())
                        && call.args().size() == 2 && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && call.args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                    return member(call.args().get(0), call.args().get(1).constant().stringValue());
                }
                throw new Unsupported();
            }
            default -> throw new Unsupported();
        }
    }

    /** {@code operand.field} where operand is context, traits or wallets, or a path below context or traits. */
    private static Value member(CelExpr operand, String field) {
        if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT && operand.ident().name().equals("wallets")) {
            return new Wallet(field);
        }
        Path parent = path(operand);
        List<String> segments = new ArrayList<>(parent.segments());
        segments.add(field);
        return new Path(parent.traits(), List.copyOf(segments));
    }

    /** context or traits, or a member path below one of them. */
    private static Path path(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            return switch (e.ident().name()) {
                case "context" -> new Path(false, List.of());
                case "traits" -> new Path(true, List.of());
                default -> throw new Unsupported();
            };
        }
        if (value(e) instanceof Path p) {
            return p;
        }
        throw new Unsupported();
    }

    private static Test has(CelExpr operand, String field) {
        if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT && operand.ident().name().equals("wallets")) {
            return facts -> facts.hasWallet(field) ? TRUE : FALSE;
        }
        Path parent = path(operand);
        return facts -> {
            JsonNode node = parent.node(facts);
            if (!(node instanceof ObjectNode)) {
                return UNKNOWN; // a missing parent or a non-map is a CEL error
            }
            return node.has(field) ? TRUE : FALSE;
        };
    }

    private static List<Object> literals(CelExpr e) {
        if (e.getKind() != CelExpr.ExprKind.Kind.LIST || !e.list().optionalIndices().isEmpty()) {
            throw new Unsupported();
        }
        List<Object> out = new ArrayList<>();
        for (CelExpr element : e.list().elements()) {
            if (!(value(element) instanceof Literal literal)) {
                throw new Unsupported();
            }
            out.add(literal.value());
        }
        return List.copyOf(out);
    }

    /** Aborts compiling: the expression leaves the subset. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    // ---- evaluating -----------------------------------------------------------------------

    @FunctionalInterface
    private interface Test {
        int test(Condition.Facts facts);
    }

    @FunctionalInterface
    private interface Value {
        /** String, Long, Boolean, MISSING or OTHER. */
        Object get(Condition.Facts facts);
    }

    private enum Variable implements Value {
        EVENT {
            @Override
            public Object get(Condition.Facts facts) {
                return facts.event();
            }
        },
        LEVEL {
            @Override
            public Object get(Condition.Facts facts) {
                return facts.level();
            }
        }
    }

    private record Literal(Object value) implements Value {
        @Override
        public Object get(Condition.Facts facts) {
            return value;
        }
    }

    private record Wallet(String key) implements Value {
        @Override
        public Object get(Condition.Facts facts) {
            return facts.hasWallet(key) ? (Object) facts.wallet(key) : MISSING;
        }
    }

    /** A value inside context or traits, converted as {@link CelValues} converts it. */
    private record Path(boolean traits, List<String> segments) implements Value {
        JsonNode node(Condition.Facts facts) {
            JsonNode node = traits ? facts.traits() : facts.context();
            for (int i = 0; i < segments.size() && node != null; i++) {
                node = node instanceof ObjectNode ? node.get(segments.get(i)) : null;
            }
            return node;
        }

        @Override
        public Object get(Condition.Facts facts) {
            JsonNode node = node(facts);
            if (node == null) {
                return MISSING;
            }
            if (node.isTextual()) {
                return node.textValue();
            }
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return OTHER; // null, decimal, big integer, list, map: CEL decides
        }
    }

    private record IsTrue(Value value) implements Test {
        @Override
        public int test(Condition.Facts facts) {
            Object v = value.get(facts);
            if (v instanceof Boolean b) {
                return b ? TRUE : FALSE;
            }
            return v == MISSING ? UNKNOWN : NOT_BOOL;
        }
    }

    private record Not(Test operand) implements Test {
        @Override
        public int test(Condition.Facts facts) {
            int r = operand.test(facts);
            return r < 0 ? r : 1 - r;
        }
    }

    private record And(Test left, Test right) implements Test {
        @Override
        public int test(Condition.Facts facts) {
            int l = left.test(facts);
            if (l == FALSE) {
                return FALSE;
            }
            int r = right.test(facts);
            if (l == NOT_BOOL || r == NOT_BOOL) {
                return NOT_BOOL;
            }
            if (r == FALSE) {
                return FALSE; // even when the left side is an error, as in CEL
            }
            return l == TRUE && r == TRUE ? TRUE : UNKNOWN;
        }
    }

    private record Or(Test left, Test right) implements Test {
        @Override
        public int test(Condition.Facts facts) {
            int l = left.test(facts);
            if (l == TRUE) {
                return TRUE;
            }
            int r = right.test(facts);
            if (l == NOT_BOOL || r == NOT_BOOL) {
                return NOT_BOOL;
            }
            if (r == TRUE) {
                return TRUE; // even when the left side is an error, as in CEL
            }
            return l == FALSE && r == FALSE ? FALSE : UNKNOWN;
        }
    }

    private record In(Value value, List<Object> literals) implements Test {
        @Override
        public int test(Condition.Facts facts) {
            Object v = value.get(facts);
            if (v == MISSING || v == OTHER) {
                return UNKNOWN;
            }
            for (Object literal : literals) {
                if (literal.getClass() != v.getClass()) {
                    return UNKNOWN; // mixed types: CEL's heterogeneous equality decides
                }
            }
            return literals.contains(v) ? TRUE : FALSE;
        }
    }

    private record Compare(Operator op, Value left, Value right) implements Test {
        static boolean supports(Operator op) {
            return switch (op) {
                case EQUALS, NOT_EQUALS, LESS, LESS_EQUALS, GREATER, GREATER_EQUALS -> true;
                default -> false;
            };
        }

        @Override
        public int test(Condition.Facts facts) {
            Object l = left.get(facts);
            Object r = right.get(facts);
            if (l instanceof Long a && r instanceof Long b) {
                return bool(ordered(Long.compare(a, b)));
            }
            boolean sameKind = l instanceof String && r instanceof String
                    || l instanceof Boolean && r instanceof Boolean;
            if (sameKind && (op == Operator.EQUALS || op == Operator.NOT_EQUALS)) {
                return bool(l.equals(r) == (op == Operator.EQUALS));
            }
            return UNKNOWN; // orderings of strings and bools, mixed types, missing or other values: CEL decides
        }

        private boolean ordered(int cmp) {
            return switch (op) {
                case EQUALS -> cmp == 0;
                case NOT_EQUALS -> cmp != 0;
                case LESS -> cmp < 0;
                case LESS_EQUALS -> cmp <= 0;
                case GREATER -> cmp > 0;
                default -> cmp >= 0;
            };
        }

        private static int bool(boolean b) {
            return b ? TRUE : FALSE;
        }
    }
}

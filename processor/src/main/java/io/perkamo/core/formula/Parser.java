package io.perkamo.core.formula;

import java.util.ArrayList;
import java.util.List;

/** Recursive descent: expr := term (('+'|'-') term)*; term := unary (('*'|'/'|'%') unary)*. */
final class Parser {
    /** Keeps hostile programs from blowing the stack or making huge trees. */
    private static final int MAX_DEPTH = 64;
    private static final int MAX_LENGTH = 4096;

    private final String s;
    private int pos;
    private int depth;

    Parser(String s) {
        this.s = s;
    }

    Expr parseAll() {
        if (s.length() > MAX_LENGTH) {
            throw new FormulaSyntaxException("formula longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        skipSpace();
        if (pos >= s.length()) {
            throw new FormulaSyntaxException("empty formula", 0);
        }
        Expr e = expr();
        skipSpace();
        if (pos < s.length()) {
            throw new FormulaSyntaxException("unexpected '" + s.charAt(pos) + "'", pos);
        }
        return e;
    }

    private Expr expr() {
        enter();
        Expr left = term();
        while (true) {
            skipSpace();
            if (peek('+') || peek('-')) {
                char op = s.charAt(pos++);
                left = new Expr.Binary(op, left, term());
            } else {
                depth--;
                return left;
            }
        }
    }

    private Expr term() {
        Expr left = unary();
        while (true) {
            skipSpace();
            if (peek('*') || peek('/') || peek('%')) {
                char op = s.charAt(pos++);
                left = new Expr.Binary(op, left, unary());
            } else {
                return left;
            }
        }
    }

    private Expr unary() {
        skipSpace();
        if (peek('-')) {
            pos++;
            enter();
            Expr operand = unary();
            depth--;
            // fold "-5" into a literal so that constant amounts stay constants
            if (operand instanceof Expr.Literal lit && lit.value() != Long.MIN_VALUE) {
                return new Expr.Literal(-lit.value());
            }
            return new Expr.Neg(operand);
        }
        return primary();
    }

    private Expr primary() {
        skipSpace();
        if (pos >= s.length()) {
            throw new FormulaSyntaxException("unexpected end of formula", pos);
        }
        char c = s.charAt(pos);
        if (Character.isDigit(c)) {
            return number();
        }
        if (c == '(') {
            pos++;
            Expr inner = expr();
            expect(')');
            return inner;
        }
        if (s.startsWith("{{", pos)) {
            return reference();
        }
        if (Character.isLetter(c)) {
            return call();
        }
        throw new FormulaSyntaxException("unexpected '" + c + "'", pos);
    }

    private Expr number() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        try {
            return new Expr.Literal(Long.parseLong(s.substring(start, pos)));
        } catch (NumberFormatException e) {
            throw new FormulaSyntaxException("number too large", start);
        }
    }

    private Expr reference() {
        int start = pos;
        int close = s.indexOf("}}", pos + 2);
        if (close < 0) {
            throw new FormulaSyntaxException("unclosed '{{'", start);
        }
        String inner = s.substring(pos + 2, close).strip();
        pos = close + 2;
        if (inner.isEmpty()) {
            throw new FormulaSyntaxException("empty reference", start);
        }
        List<String> path = List.of(inner.split("\\.", -1));
        for (String segment : path) {
            if (!segment.matches("[A-Za-z0-9_\\-]+")) {
                throw new FormulaSyntaxException("bad path '" + inner + "' in reference", start);
            }
        }
        return new Expr.Ref(path);
    }

    private Expr call() {
        int start = pos;
        while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
            pos++;
        }
        String name = s.substring(start, pos);
        boolean max = switch (name) {
            case "min" -> false;
            case "max" -> true;
            default -> throw new FormulaSyntaxException("unknown function '" + name + "'", start);
        };
        skipSpace();
        expect('(');
        List<Expr> args = new ArrayList<>();
        args.add(expr());
        skipSpace();
        while (peek(',')) {
            pos++;
            args.add(expr());
            skipSpace();
        }
        expect(')');
        if (args.size() < 2) {
            throw new FormulaSyntaxException(name + " needs at least two arguments", start);
        }
        return new Expr.Call(max, List.copyOf(args));
    }

    private void expect(char c) {
        skipSpace();
        if (!peek(c)) {
            throw new FormulaSyntaxException(pos < s.length() ? "expected '" + c + "' but found '" + s.charAt(pos) + "'"
                    : "expected '" + c + "' but the formula ended", pos);
        }
        pos++;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new FormulaSyntaxException("formula nested deeper than " + MAX_DEPTH, pos);
        }
    }

    private boolean peek(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }
}

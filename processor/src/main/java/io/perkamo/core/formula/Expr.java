package io.perkamo.core.formula;

import java.util.List;

/** The parsed formula tree. */
sealed interface Expr {

    record Literal(long value) implements Expr {
    }

    record Ref(List<String> path) implements Expr {
    }

    record Neg(Expr operand) implements Expr {
    }

    record Binary(char op, Expr left, Expr right) implements Expr {
    }

    /** min(...) when max is false. */
    record Call(boolean max, List<Expr> args) implements Expr {
    }
}

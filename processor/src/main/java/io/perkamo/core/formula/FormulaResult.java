package io.perkamo.core.formula;

/** What a formula evaluated to: a value, or the stable reason why the award is skipped. */
public sealed interface FormulaResult {

    record Value(long value) implements FormulaResult {
    }

    /** reason is one of the Formula constants, e.g. {@code missing_value}. */
    record Failed(String reason, String message) implements FormulaResult {
    }
}

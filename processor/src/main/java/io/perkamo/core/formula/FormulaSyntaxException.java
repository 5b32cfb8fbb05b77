package io.perkamo.core.formula;

/** A formula that does not parse; position is the 0-based character offset of the problem. */
public final class FormulaSyntaxException extends IllegalArgumentException {
    private final int position;

    FormulaSyntaxException(String message, int position) {
        super(message + " at position " + position);
        this.position = position;
    }

    public int position() {
        return position;
    }
}

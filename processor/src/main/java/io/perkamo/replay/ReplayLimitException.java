package io.perkamo.replay;

/** A run stopped at one of its {@link Limits}: the log is larger, or the fold slower, than allowed. */
public final class ReplayLimitException extends RuntimeException {
    public enum Kind { TOO_MANY_RECORDS, TOO_SLOW }

    private final Kind kind;
    private final long limit;

    ReplayLimitException(Kind kind, long limit, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.limit = limit;
    }

    public Kind kind() {
        return kind;
    }

    /** The limit passed: records, or milliseconds. */
    public long limit() {
        return limit;
    }
}

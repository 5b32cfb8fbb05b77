package io.perkamo.topics;

/** Headers the processor reads from inputs or writes on its outputs. */
public final class PerkamoHeaders {
    /**
     * Set by the HTTP API on an input (the request id, then "/" and a number unique per input:
     * the items of a batch share a request); copied onto its outcome so the API can answer.
     */
    public static final String REQUEST_ID = "perkamo.request.id";
    /** Marks a record the router moved to the partition the Java partitioner would choose. */
    public static final String REROUTED = "perkamo.rerouted";
    /**
     * On an outcome: the partition and offset, on the Space's events topic, of the input it
     * decides (the webhook sender reads the input's context from there). The same names as the
     * DLQ's {@link DeadLetterHeaders#SOURCE_PARTITION} and {@link DeadLetterHeaders#SOURCE_OFFSET}.
     */
    public static final String SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
    public static final String SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;

    private PerkamoHeaders() {
    }
}

package io.perkamo.topics;

/**
 * An expected failure reaching Kafka or setting up topics (broker unreachable, topics not
 * ready in time, a topic refused). The message is one clear sentence meant for the operator.
 */
public class TopicsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TopicsException(String message) {
        super(message);
    }

    public TopicsException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.perkamo.control;

/**
 * An expected failure of a control-plane operation (unknown Space, broker unreachable,
 * topics not ready in time). The message is one clear sentence meant for the operator.
 */
public class ControlPlaneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ControlPlaneException(String message) {
        super(message);
    }

    public ControlPlaneException(String message, Throwable cause) {
        super(message, cause);
    }
}

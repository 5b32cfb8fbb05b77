package io.perkamo.control;

/** A key id that names no key. */
public class UnknownKeyException extends ControlPlaneException {
    private static final long serialVersionUID = 1L;

    public UnknownKeyException(String keyId) {
        super("Key '" + keyId + "' does not exist");
    }
}

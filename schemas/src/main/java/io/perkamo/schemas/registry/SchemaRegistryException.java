package io.perkamo.schemas.registry;

/**
 * The registry refused a request or could not be used. httpStatus is 0 when no HTTP answer
 * arrived (connection refused, timeout); errorCode is the Confluent {@code error_code} of the
 * answer, 0 when it had none, or {@link #UNUSABLE_SCHEMA} for a schema this client cannot read.
 */
public final class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    /** Client-side code: the registry answered with a schema that is not AVRO or does not parse. */
    public static final int UNUSABLE_SCHEMA = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** The subject, version or schema id does not exist (HTTP 404). */
    public boolean isNotFound() {
        return httpStatus == 404;
    }
}

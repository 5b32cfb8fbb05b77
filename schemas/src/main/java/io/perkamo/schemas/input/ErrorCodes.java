package io.perkamo.schemas.input;

/**
 * Stable error codes shared by the HTTP API (400 bodies) and the stream (DLQ headers).
 * Never rename one: clients and DLQ consumers match on them.
 */
public final class ErrorCodes {
    public static final String INVALID_JSON = "invalid_json";
    public static final String INVALID_AVRO = "invalid_avro";
    public static final String UNKNOWN_MAGIC_BYTE = "unknown_magic_byte";
    public static final String UNKNOWN_SCHEMA = "unknown_schema";
    public static final String INVALID_KIND = "invalid_kind";
    public static final String INVALID_USER_ID = "invalid_user_id";
    public static final String INVALID_EVENT = "invalid_event";
    public static final String INVALID_TRANSACTION_ID = "invalid_transaction_id";
    public static final String INVALID_REWARD = "invalid_reward";
    public static final String INVALID_CONTEXT = "invalid_context";
    public static final String CONTEXT_TOO_LARGE = "context_too_large";
    public static final String RESERVED_CONTEXT_FIELD = "reserved_context_field";
    public static final String INVALID_TRAITS = "invalid_traits";
    public static final String TRAITS_TOO_LARGE = "traits_too_large";
    public static final String INVALID_OCCURRED_AT = "invalid_occurred_at";
    public static final String OCCURRED_AT_IN_FUTURE = "occurred_at_in_future";
    public static final String KEY_MISMATCH = "key_mismatch";
    public static final String IDEMPOTENCY_CONFLICT = "idempotency_conflict";
    public static final String UNSUPPORTED_KIND = "unsupported_kind";

    private ErrorCodes() {
    }
}

package io.perkamo.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An expected refusal: becomes {@code {message, code, request_id, ...details}} with the status.
 * Thrown by handlers, written by the server's exception mapping.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final ObjectNode details;
    private final Map<String, String> headers;

    ApiError(int status, String code, String message) {
        this(status, code, message, Json.object(), Map.of());
    }

    ApiError(int status, String code, String message, ObjectNode details, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
        this.headers = Map.copyOf(new LinkedHashMap<>(headers));
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    ObjectNode details() {
        return details;
    }

    Map<String, String> headers() {
        return headers;
    }

    ObjectNode body(String requestId) {
        ObjectNode body = Json.object();
        body.put("message", getMessage());
        body.put("code", code);
        body.put("request_id", requestId);
        details.fields().forEachRemaining(e -> {
            if (!body.has(e.getKey())) {
                body.set(e.getKey(), e.getValue());
            }
        });
        return body;
    }

    static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    static ApiError unauthorized(String code, String message) {
        return new ApiError(401, code, message);
    }

    static ApiError forbidden(String code, String message) {
        return new ApiError(403, code, message);
    }

    static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message);
    }

    static ApiError unavailable(String code, String message) {
        return new ApiError(503, code, message, Json.object(), Map.of("retry-after", "1"));
    }
}

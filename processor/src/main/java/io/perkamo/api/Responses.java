package io.perkamo.api;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/** Writing JSON answers, errors included; every answer carries the request id header. */
final class Responses {
    static final String REQUEST_ID_ATTRIBUTE = "perkamo.requestId";
    static final String ROUTE_ATTRIBUTE = "perkamo.route";
    static final String JSON = "application/json";

    private Responses() {
    }

    static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        if (id == null) {
            id = RequestIds.next();
            ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
        }
        return id;
    }

    static void json(Context ctx, int status, JsonNode body) {
        json(ctx, status, Json.bytes(body));
    }

    /** An answer whose JSON is already rendered (compact UTF-8). */
    static void json(Context ctx, int status, byte[] body) {
        ctx.header(RequestIds.HEADER, requestId(ctx));
        ctx.status(status);
        ctx.contentType(JSON);
        ctx.result(body);
    }

    static void error(Context ctx, ApiError error) {
        error.headers().forEach(ctx::header);
        json(ctx, error.status(), error.body(requestId(ctx)));
    }
}

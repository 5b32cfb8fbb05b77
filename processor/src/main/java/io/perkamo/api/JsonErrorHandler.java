package io.perkamo.api;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before Javalin sees the request (malformed URIs, headers too large) in
 * the API's JSON shape with a request id: the SDKs decode every error body as JSON.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        String message = request.getAttribute(ERROR_MESSAGE) instanceof String m ? m : null;
        String id = RequestIds.next();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Responses.JSON);
        response.getHeaders().put(RequestIds.HEADER, id);
        response.write(true, body(status, message, id), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String id = RequestIds.next();
        fields.put(HttpHeader.CONTENT_TYPE, Responses.JSON);
        fields.put(RequestIds.HEADER, id);
        return body(status, reason, id);
    }

    private static ByteBuffer body(int status, String message, String requestId) {
        String code = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        return ByteBuffer.wrap(Json.bytes(new ApiError(status, code, text).body(requestId)));
    }
}

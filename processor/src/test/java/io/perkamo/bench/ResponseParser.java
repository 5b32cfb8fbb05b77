package io.perkamo.bench;

import java.nio.ByteBuffer;

/**
 * Just enough of an HTTP/1.1 response parser for the load generator: the status code, where the
 * response ends (Content-Length, chunked, or the connection closing) and whether the server
 * keeps the connection open. Headers other than those are skipped; bodies are discarded.
 * Interim 1xx responses are skipped. Fed incrementally, in whatever pieces the socket gives.
 */
final class ResponseParser {
    private enum State { STATUS_LINE, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    private static final int MAX_LINE = 8192;

    private final StringBuilder line = new StringBuilder(128);
    private State state = State.STATUS_LINE;
    private int status;
    private long remaining;
    private long contentLength;
    private boolean chunked;
    private boolean close;
    private boolean http10;

    ResponseParser() {
        reset();
    }

    /** Makes the parser ready for the next response on the same connection. */
    void reset() {
        line.setLength(0);
        state = State.STATUS_LINE;
        status = 0;
        remaining = 0;
        contentLength = -1;
        chunked = false;
        close = false;
        http10 = false;
    }

    /**
     * Consumes bytes from {@code in} up to the end of the current response.
     *
     * @return true when the response is complete (bytes after it stay in {@code in})
     * @throws IllegalStateException when the bytes are not an HTTP/1.x response
     */
    boolean feed(ByteBuffer in) {
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case STATUS_LINE, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
                    if (readLine(in)) {
                        onLine(line.toString());
                        line.setLength(0);
                    }
                }
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    in.position(in.position() + n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == State.BODY ? State.DONE : State.CHUNK_END;
                    }
                }
                case UNTIL_CLOSE -> in.position(in.limit());
                default -> throw new IllegalStateException("unreachable: " + state);
            }
        }
        return state == State.DONE;
    }

    /**
     * The connection ended: true when that completes the response (a body delimited by the
     * close), false when the response was cut short.
     */
    boolean endOfInput() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            close = true;
            return true;
        }
        return state == State.DONE;
    }

    /** True when a response has started but is not complete. */
    boolean inProgress() {
        return state != State.DONE && (state != State.STATUS_LINE || line.length() > 0);
    }

    int status() {
        return status;
    }

    /** Whether the connection can carry another request after this response. */
    boolean keepAlive() {
        return !close && !http10;
    }

    private boolean readLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return true;
            }
            if (line.length() >= MAX_LINE) {
                throw new IllegalStateException("response line longer than " + MAX_LINE + " bytes");
            }
            line.append(c);
        }
        return false;
    }

    private void onLine(String text) {
        switch (state) {
            case STATUS_LINE -> {
                // HTTP/1.1 200 OK
                if (!text.startsWith("HTTP/1.") || text.length() < 12 || text.charAt(8) != ' ') {
                    throw new IllegalStateException("not an HTTP/1.x status line: " + abbreviate(text));
                }
                http10 = text.charAt(7) == '0';
                try {
                    status = Integer.parseInt(text.substring(9, 12));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("bad status code: " + abbreviate(text), e);
                }
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (text.isEmpty()) {
                    endOfHeaders();
                } else {
                    header(text);
                }
            }
            case CHUNK_SIZE -> {
                int semicolon = text.indexOf(';');
                String hex = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
                try {
                    remaining = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("bad chunk size: " + abbreviate(text), e);
                }
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_END -> {
                if (!text.isEmpty()) {
                    throw new IllegalStateException("chunk data longer than its size");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (text.isEmpty()) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException("unreachable: " + state);
        }
    }

    private void header(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalStateException("malformed header line: " + abbreviate(text));
        }
        String name = text.substring(0, colon).trim();
        String value = text.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("content-length")) {
            try {
                contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("bad content-length: " + abbreviate(value), e);
            }
        } else if (name.equalsIgnoreCase("transfer-encoding")) {
            chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
        } else if (name.equalsIgnoreCase("connection")) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            if (v.contains("close")) {
                close = true;
            } else if (v.contains("keep-alive")) {
                http10 = false;
            }
        }
    }

    private void endOfHeaders() {
        if (status >= 100 && status < 200) {
            // interim response (100 Continue): the real one follows
            reset();
        } else if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = remaining == 0 ? State.DONE : State.BODY;
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}

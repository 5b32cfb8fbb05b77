package io.perkamo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ResponseParserTest {

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Feeds {@code text} in pieces of {@code step} bytes; answers how many bytes it took to complete. */
    private static int feedInPieces(ResponseParser parser, String text, int step) {
        byte[] all = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at < all.length; at += step) {
            ByteBuffer piece = ByteBuffer.wrap(all, at, Math.min(step, all.length - at));
            if (parser.feed(piece)) {
                return piece.position();
            }
        }
        return -1;
    }

    @Test
    void shouldEndAResponseAtItsContentLength() {
        // given a response with a body, followed by the start of another one
        ResponseParser parser = new ResponseParser();
        ByteBuffer in = bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
                + "{\"a\":1}HTTP/1.1");

        // when
        boolean complete = parser.feed(in);

        // then it stops right after the body
        assertThat(complete).isTrue();
        assertThat(parser.status()).isEqualTo(200);
        assertThat(parser.keepAlive()).isTrue();
        assertThat(in.remaining()).isEqualTo("HTTP/1.1".length());
    }

    @Test
    void shouldNotEndBeforeTheWholeBodyArrived() {
        ResponseParser parser = new ResponseParser();

        assertThat(parser.feed(bytes("HTTP/1.1 404 Not Found\r\ncontent-length: 10\r\n\r\n12345"))).isFalse();
        assertThat(parser.inProgress()).isTrue();
        assertThat(parser.feed(bytes("6789"))).isFalse();
        assertThat(parser.feed(bytes("0"))).isTrue();
        assertThat(parser.status()).isEqualTo(404);
    }

    @Test
    void shouldCompleteWhateverTheSocketSplitsTheResponseInto() {
        String response = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nx-perkamo-request-id: req_1\r\n\r\n"
                + "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n";
        for (int step = 1; step <= response.length(); step++) {
            ResponseParser parser = new ResponseParser();

            int used = feedInPieces(parser, response, step);

            assertThat(used).as("piece size %d", step).isPositive();
            assertThat(parser.status()).isEqualTo(201);
            assertThat(parser.inProgress()).isFalse();
        }
    }

    @Test
    void shouldReadAChunkedBodyToTheLastChunk() {
        ResponseParser parser = new ResponseParser();
        ByteBuffer in = bytes("HTTP/1.1 500 Server Error\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nnext");

        assertThat(parser.feed(in)).isTrue();
        assertThat(parser.status()).isEqualTo(500);
        assertThat(in.remaining()).isEqualTo(4);
    }

    @Test
    void shouldSayWhenTheServerClosesTheConnection() {
        ResponseParser parser = new ResponseParser();

        assertThat(parser.feed(bytes("HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")))
                .isTrue();
        assertThat(parser.keepAlive()).isFalse();
    }

    @Test
    void shouldTakeABodyWithoutLengthToTheEndOfTheConnection() {
        ResponseParser parser = new ResponseParser();

        assertThat(parser.feed(bytes("HTTP/1.0 200 OK\r\n\r\nsome body"))).isFalse();
        assertThat(parser.endOfInput()).isTrue();
        assertThat(parser.keepAlive()).isFalse();
    }

    @Test
    void shouldCountAResponseCutShortAsIncomplete() {
        ResponseParser parser = new ResponseParser();

        assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"))).isFalse();
        assertThat(parser.endOfInput()).isFalse();
    }

    @Test
    void shouldSkipInterimResponsesAndEmptyBodies() {
        ResponseParser parser = new ResponseParser();

        assertThat(parser.feed(bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"))).isTrue();
        assertThat(parser.status()).isEqualTo(204);
    }

    @Test
    void shouldParseTheNextResponseAfterAReset() {
        ResponseParser parser = new ResponseParser();
        assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))).isTrue();

        parser.reset();

        assertThat(parser.inProgress()).isFalse();
        assertThat(parser.feed(bytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"))).isTrue();
        assertThat(parser.status()).isEqualTo(503);
    }

    @Test
    void shouldRefuseWhatIsNotAnHttpResponse() {
        assertThatThrownBy(() -> new ResponseParser().feed(bytes("SSH-2.0-OpenSSH_9.2\r\n")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ResponseParser().feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")))
                .isInstanceOf(IllegalStateException.class);
    }
}

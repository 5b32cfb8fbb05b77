package io.perkamo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sender against a real receiver on loopback, with a name server of the test's own: a name
 * that resolves to this machine is refused for a live Space when the request is sent, whatever
 * the name looked like when the endpoint was saved (DNS rebinding), and allowed for a test Space.
 */
class HttpSenderIT {
    private static TestReceiver receiver;
    private static HttpSender sender;

    /** Every name resolves to 127.0.0.1, as a rebinding name server would answer. */
    private static final SocketAddressResolver REBINDING = (host, port, context, promise) -> {
        try {
            promise.succeeded(List.of(new InetSocketAddress(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}),
                    port)));
        } catch (java.net.UnknownHostException e) {
            promise.failed(e);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        receiver = TestReceiver.start().on("/hook", TestReceiver.ok());
        sender = new HttpSender(Duration.ofSeconds(5), 4, Optional.of(REBINDING));
    }

    @AfterAll
    static void stop() {
        sender.close();
        receiver.close();
    }

    @Test
    void shouldRefuseANameThatResolvesToLoopbackForALiveSpaceWhenSending() throws Exception {
        // when a live Space's delivery goes to a public-looking name that now resolves to 127.0.0.1
        HttpSender.Answer answer = sender.post(URI.create("http://hooks.shop.example:" + receiver.port() + "/hook"),
                true, Map.of("x-perkamo-delivery", "dlv_live"), "{}".getBytes()).get(30, TimeUnit.SECONDS);

        // then no request is made: the attempt fails with the reason
        assertThat(answer.answered()).isFalse();
        assertThat(answer.error()).startsWith(HttpSender.ADDRESS_REFUSED).contains("127.0.0.1");
        assertThat(receiver.received("/hook")).noneMatch(r -> "dlv_live".equals(r.delivery()));
    }

    @Test
    void shouldLetATestSpaceSendToThisMachine() throws Exception {
        // when a test Space's delivery goes to the same name
        HttpSender.Answer answer = sender.post(URI.create("http://hooks.shop.example:" + receiver.port() + "/hook"),
                false, Map.of("x-perkamo-delivery", "dlv_test"), "{}".getBytes()).get(30, TimeUnit.SECONDS);

        // then it arrives
        assertThat(answer.succeeded()).as(answer.error()).isTrue();
        assertThat(receiver.received("/hook")).anyMatch(r -> "dlv_test".equals(r.delivery()));
    }

    @Test
    void shouldReportARefusedConnection() throws Exception {
        // when nothing listens on the port
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HttpSender.Answer answer = sender.post(URI.create("http://127.0.0.1:" + closed + "/hook"), false, Map.of(),
                "{}".getBytes()).get(30, TimeUnit.SECONDS);

        // then the attempt failed without an answer, saying why
        assertThat(answer.answered()).isFalse();
        assertThat(answer.error()).isEqualTo("connection refused");
    }
}

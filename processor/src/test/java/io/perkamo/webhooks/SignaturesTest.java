package io.perkamo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SignaturesTest {

    @Test
    void shouldSignTheStandardWebhooksSpecificationsExample() {
        // the example of the Standard Webhooks specification
        String signature = Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldSignAnotherTimestampDifferently() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String secret = io.perkamo.control.WebhookEndpoints.newSecret();

        assertThat(Signatures.sign(secret, "evt_1", 1700000000, body))
                .isNotEqualTo(Signatures.sign(secret, "evt_1", 1700000001, body));
    }
}

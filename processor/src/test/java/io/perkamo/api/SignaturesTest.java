package io.perkamo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class SignaturesTest {
    private static final byte[] BODY = "{\"space\":\"demo\"}".getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR = "v1=6bbc1e5ba44b90642cb2f878838723f95d0272760c9bae93162479595e765621";

    private static Clock at(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    @Test
    void shouldMatchTheSpecTestVector() {
        assertThat(Signatures.sign("sk_test", "1700000000", "POST", "/v1/events", BODY)).isEqualTo(VECTOR);
    }

    @Test
    void shouldAcceptTheVectorAmongSeveralCandidatesAndInUpperCase() {
        Signatures.verify("sk_test", "v1=00ff, " + VECTOR.toUpperCase().replace("V1=", "v1="), "1700000000",
                "POST", "/v1/events", BODY, at(1700000000L + 299));
    }

    @Test
    void shouldRejectATamperedBody() {
        byte[] tampered = "{\"space\":\"demo \"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Signatures.verify("sk_test", VECTOR, "1700000000", "POST", "/v1/events", tampered,
                at(1700000000L)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"));
    }

    @Test
    void shouldRejectTimestampsOutsideTheWindowInEitherDirection() {
        for (long skew : new long[] {301, -301}) {
            assertThatThrownBy(() -> Signatures.verify("sk_test", VECTOR, "1700000000", "POST", "/v1/events", BODY,
                    at(1700000000L + skew)))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("signature_expired"));
        }
    }

    @Test
    void shouldRejectAMissingOrNonNumericTimestamp() {
        for (String ts : new String[] {null, "", "yesterday"}) {
            assertThatThrownBy(() -> Signatures.verify("sk_test", VECTOR, ts, "POST", "/v1/events", BODY,
                    at(1700000000L)))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }
}

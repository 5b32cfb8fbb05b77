package io.perkamo.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class OutcomeRefusalJsonTest {

    @Test
    void shouldWriteARefusalWithAnOutcomesKeysInItsOrder() {
        byte[] json = OutcomeJson.refusal(Optional.of("tx-1"), "pending", "processing_timeout", "no decision",
                List.of());

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"applied\":false,\"duplicate\":false,"
                + "\"delta\":[],\"leveled_up\":false,\"unlocked\":[],\"wallet_state\":{},\"level\":null,"
                + "\"transaction_id\":\"tx-1\",\"status\":\"pending\",\"effects\":[],"
                + "\"error\":{\"code\":\"processing_timeout\",\"message\":\"no decision\"}}");
    }

    @Test
    void shouldListEveryProblemAndANullTransactionIdWhenNoneWasNamed() {
        byte[] json = OutcomeJson.refusal(Optional.empty(), "rejected", "invalid_event", "bad event",
                List.of(new Problem("invalid_event", "event", "bad event"),
                        new Problem("invalid_user_id", "user_id", "too long")));

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"transaction_id\":null,\"status\":\"rejected\"")
                .endsWith("\"errors\":[{\"code\":\"invalid_event\",\"field\":\"event\",\"message\":\"bad event\"},"
                        + "{\"code\":\"invalid_user_id\",\"field\":\"user_id\",\"message\":\"too long\"}]}");
    }
}

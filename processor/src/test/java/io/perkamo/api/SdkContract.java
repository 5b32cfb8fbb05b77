package io.perkamo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the PHP SDK's response parsers require (EventIngestResult, WalletDelta, UnlockedItem,
 * LevelState, BatchIngestResult, PerkamoApiException), as assertions on our answers.
 */
final class SdkContract {
    private SdkContract() {
    }

    static void assertIngestResult(JsonNode r) {
        assertThat(r.isObject()).as("IngestResult is an object: %s", r).isTrue();
        for (String b : new String[] {"applied", "duplicate", "leveled_up"}) {
            assertThat(r.path(b).isBoolean()).as("%s is a boolean in %s", b, r).isTrue();
        }
        assertThat(r.path("delta").isArray()).as("delta is a list in %s", r).isTrue();
        r.path("delta").forEach(d -> {
            assertThat(d.path("wallet").isTextual() && !d.path("wallet").asText().isEmpty()).isTrue();
            assertThat(d.path("amount").isNumber()).isTrue();
        });
        assertThat(r.path("unlocked").isArray()).as("unlocked is a list in %s", r).isTrue();
        r.path("unlocked").forEach(u -> {
            for (String f : new String[] {"type", "key", "name"}) {
                assertThat(u.path(f).isTextual() && !u.path(f).asText().isEmpty()).isTrue();
            }
        });
        assertThat(r.path("wallet_state").isObject()).as("wallet_state is an object in %s", r).isTrue();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("wallet_state").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(e.getKey()).isNotEmpty();
            assertThat(e.getValue().isNumber()).isTrue();
        }
        JsonNode level = r.path("level");
        if (!level.isMissingNode() && !level.isNull()) {
            assertThat(level.isObject()).isTrue();
            assertThat(level.path("wallet").isTextual() && !level.path("wallet").asText().isEmpty()).isTrue();
            assertThat(level.path("level").isIntegralNumber()).as("level.level is an integer").isTrue();
            assertThat(level.path("current").isNumber()).isTrue();
            assertThat(level.path("currentLevelAt").isNumber()).isTrue();
            assertThat(level.path("nextLevelAt").isNumber() || level.path("nextLevelAt").isNull()).isTrue();
            assertThat(level.path("progress").isNumber()).isTrue();
        }
        assertThat(r.has("transaction_id")).isTrue();
        assertThat(r.path("status").isTextual()).isTrue();
        assertThat(r.path("effects").isArray()).isTrue();
    }

    /** What BrowserToken::fromArray requires. */
    static void assertBrowserToken(JsonNode r) {
        for (String f : new String[] {"token", "token_type", "expires_at"}) {
            assertThat(r.path(f).isTextual() && !r.path(f).asText().isBlank()).as("%s in %s", f, r).isTrue();
        }
        assertThat(r.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(java.time.OffsetDateTime.parse(r.path("expires_at").asText())).isNotNull();
        assertThat(r.path("expires_in").isInt()).as("expires_in is a JSON integer in %s", r).isTrue();
    }

    static void assertBatchResult(JsonNode r) {
        assertThat(r.path("results").isArray()).isTrue();
        r.path("results").forEach(SdkContract::assertIngestResult);
    }

    static void assertError(TestApi.Answer a, int status, String code) {
        assertThat(a.status()).as("status of %s", a.body()).isEqualTo(status);
        JsonNode body = a.json();
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").isTextual()).isTrue();
        assertThat(body.path("message").asText()).isNotBlank();
        String header = a.header("x-perkamo-request-id");
        assertThat(header).matches("req_[0-9A-Za-z]{24}");
        assertThat(body.path("request_id").asText()).isEqualTo(header);
    }
}

package io.perkamo.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Samples;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.Json;

class OutcomeAndProfileJsonTest {

    @Test
    void shouldWriteTheIngestResultNamesTheSdkReads() {
        ObjectNode json = OutcomeJson.toJson(Samples.outcome());

        assertThat(json.get("applied").booleanValue()).isTrue();
        assertThat(json.get("duplicate").booleanValue()).isFalse();
        assertThat(json.get("delta").toString()).isEqualTo("[{\"wallet\":\"points\",\"amount\":50},{\"wallet\":\"xp\",\"amount\":-3}]");
        assertThat(json.get("leveled_up").booleanValue()).isTrue();
        assertThat(json.get("unlocked").toString())
                .isEqualTo("[{\"type\":\"perk\",\"key\":\"welcome_member\",\"name\":\"Welcome member\"}]");
        assertThat(json.get("wallet_state").toString()).isEqualTo("{\"points\":50,\"xp\":120}");
        assertThat(json.get("level").toString()).isEqualTo("{\"wallet\":\"xp\",\"level\":2,\"name\":\"Silver\","
                + "\"current\":120,\"currentLevelAt\":100,\"nextLevelAt\":500,\"progress\":0.05}");
        assertThat(json.get("transaction_id").textValue()).isEqualTo("order_1092");
        assertThat(json.get("status").textValue()).isEqualTo("applied");
        assertThat(json.get("effects").toString()).isEqualTo("[{\"type\":\"rule_applied\",\"key\":\"purchase_points\","
                + "\"wallet\":\"points\",\"amount\":50},{\"type\":\"rule_skipped\",\"key\":\"bonus\","
                + "\"reason\":\"condition_false\",\"message\":\"currency is EUR\"}]");
        assertThat(json.get("user_id").textValue()).isEqualTo("account:acme:42");
        assertThat(json.get("kind").textValue()).isEqualTo("event");
        assertThat(json.get("event").textValue()).isEqualTo("purchase.completed");
        assertThat(json.get("occurred_at").textValue()).isEqualTo("2026-06-01T10:00:00.123Z");
        assertThat(json.get("program_version").longValue()).isEqualTo(3);
        assertThat(json.has("reason")).isFalse();
        assertThat(json.has("error")).isFalse();
        assertThat(json.has("reward")).isFalse();
    }

    @Test
    void shouldWriteLevelAsAnIntegerAndNextLevelAtAsNullAtTheTop() {
        ObjectNode json = OutcomeJson.toJson(Samples.rejectedRedemption());

        JsonNode level = json.get("level");
        assertThat(level.get("level").isInt()).isTrue();
        assertThat(level.get("level").intValue()).isEqualTo(3);
        assertThat(level.has("nextLevelAt")).isTrue();
        assertThat(level.get("nextLevelAt").isNull()).isTrue();
        assertThat(level.get("progress").doubleValue()).isEqualTo(1.0);
        assertThat(json.get("reason").textValue()).isEqualTo("insufficient_balance");
        assertThat(json.get("error").toString())
                .isEqualTo("{\"code\":\"insufficient_balance\",\"message\":\"points: 10 < 500\"}");
        assertThat(json.get("occurred_at").textValue()).isEqualTo("2026-06-01T10:00:00Z");
    }

    @Test
    void shouldReadAnOutcomeBackFromItsJson() {
        for (Outcome outcome : List.of(Samples.outcome(), Samples.rejectedRedemption())) {
            byte[] bytes = Json.bytes(OutcomeJson.toJson(outcome));

            Outcome read = OutcomeJson.fromJson(InputParser.readTree(bytes).orElseThrow());

            assertThat(read).isEqualTo(outcome);
        }
    }

    @Test
    void shouldRefuseAnOutcomeWithoutStatus() {
        ObjectNode json = OutcomeJson.toJson(Samples.outcome());
        json.remove("status");

        assertThatThrownBy(() -> OutcomeJson.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("status");
    }

    @Test
    void shouldWriteAProfileWithSnakeCaseFieldsAndTheIngestResultLevel() {
        ObjectNode json = ProfileJson.toJson(Samples.profile());

        assertThat(json.get("user_id").textValue()).isEqualTo("account:acme:42");
        assertThat(json.get("program_version").longValue()).isEqualTo(3);
        assertThat(json.get("wallets").toString()).isEqualTo("{\"points\":50,\"xp\":120}");
        assertThat(json.get("level").get("currentLevelAt").longValue()).isEqualTo(100);
        assertThat(json.get("level").get("level").isInt()).isTrue();
        assertThat(json.get("traits").isObject()).isTrue();
        assertThat(json.get("traits").get("age").intValue()).isEqualTo(41);
        assertThat(json.get("perks").toString()).isEqualTo(
                "[{\"key\":\"welcome_member\",\"name\":\"Welcome member\",\"unlocked_at\":\"2026-06-01T10:00:00.123Z\"}]");
        assertThat(json.get("achievements").get(0).get("unlocked_at").isNull()).isTrue();
        assertThat(json.get("achievements").get(1).get("last_day").intValue()).isEqualTo(20605);
        assertThat(json.get("created_at").textValue()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void shouldReadAProfileBackFromItsJson() {
        Profile profile = Samples.profile();

        Profile read = ProfileJson.fromJson(InputParser.readTree(Json.bytes(ProfileJson.toJson(profile))).orElseThrow());

        assertThat(read).isEqualTo(profile);
    }

    @Test
    void shouldWriteAnEmptyProfileWithNullLevelAndTimestamps() {
        Profile empty = Profile.newBuilder().setUserId("u").setVersion(0).build();

        ObjectNode json = ProfileJson.toJson(empty);

        assertThat(json.get("level").isNull()).isTrue();
        assertThat(json.get("traits").toString()).isEqualTo("{}");
        assertThat(json.get("created_at").isNull()).isTrue();
        assertThat(ProfileJson.fromJson(json)).isEqualTo(empty);
    }

    @Test
    void shouldRefuseProfileTraitsThatAreNotAnObject() {
        Profile profile = Samples.profile();
        profile.setTraits("[1,2]");

        assertThatThrownBy(() -> ProfileJson.toJson(profile)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProfileJson.fromJson(InputParser.readTree(
                "{\"user_id\":\"u\",\"version\":1,\"traits\":\"x\"}".getBytes(StandardCharsets.UTF_8)).orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

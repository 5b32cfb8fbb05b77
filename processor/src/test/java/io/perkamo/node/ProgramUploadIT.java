package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.control.ProgramVersion;
import io.perkamo.testing.RunningNode;

/**
 * Program uploads through {@code POST /v1/admin/config/{module}} on a running instance: every
 * bad shape is refused with each problem and its path and leaves the active version as it was;
 * a removal or a back-dated version is published only when the caller confirms it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProgramUploadIT {
    private static final String PROGRAM = """
            wallets:
              - {key: points, name: Points}
              - {key: xp, name: Experience}
            rules:
              - {key: purchase, event: purchase.completed, award: [{wallet: points, amount: 10}]}
              - {key: lesson, event: lesson.finished, award: [{wallet: xp, amount: 5}]}
            rewards:
              - {key: coffee, name: Coffee, cost: {wallet: points, amount: 50}}
            """;

    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("upload", 1).programYaml(PROGRAM).build();

    @Test
    @Order(1)
    void shouldRefuseEveryBadShapeWithItsProblemsAndKeepTheActiveVersion() throws Exception {
        List<ProgramVersion> before = node.control().programs(node.space());

        JsonNode array = node.api().post("/v1/admin/config/program", "[]", 400);
        JsonNode empty = node.api().post("/v1/admin/config/program", "{}", 400);
        JsonNode eventPayload = node.api().post("/v1/admin/config/program",
                "{\"user_id\":\"alice\",\"event\":\"purchase.completed\",\"transaction_id\":\"t1\"}", 400);
        JsonNode events = node.api().post("/v1/admin/config/program", "{\"events\":[{}]}", 400);
        JsonNode typo = node.api().post("/v1/admin/config/program",
                "{\"wallets\":[{\"key\":\"points\",\"name\":\"Points\"}],\"rule\":[]}", 400);
        JsonNode nested = node.api().post("/v1/admin/config/rules",
                "[{\"key\":\"r\",\"event\":\"a.b\",\"award\":[{\"wallet\":\"points\",\"ammount\":1}],\"lable\":\"x\"}]",
                400);
        JsonNode types = node.api().post("/v1/admin/config/program",
                "{\"wallets\":\"points\",\"rules\":{\"key\":\"r\"},\"perks\":[{\"key\":7,\"name\":\"Seven\"}]}", 400);

        assertThat(array.path("code").asText()).isEqualTo("invalid_program");
        assertThat(array.path("message").asText()).contains("object").contains("an array");
        assertThat(paths(empty)).contains("wallets");
        assertThat(paths(eventPayload)).contains("user_id", "event", "transaction_id", "wallets");
        assertThat(paths(events)).contains("events", "wallets");
        assertThat(typo.path("errors").toString()).contains("did you mean `rules`?");
        assertThat(paths(nested)).contains("rules[0].award[0].ammount", "rules[0].lable");
        assertThat(paths(types)).contains("wallets", "rules", "perks[0].key");
        assertThat(types.path("errors").size()).isGreaterThanOrEqualTo(3);
        assertThat(node.control().programs(node.space())).isEqualTo(before);
    }

    @Test
    @Order(2)
    void shouldRefuseARemovalUnlessConfirmedAndListItEitherWay() throws Exception {
        String withoutLessonAndCoffee = """
                {"wallets":[{"key":"points","name":"Points"},{"key":"xp","name":"Experience"}],
                 "rules":[{"key":"purchase","event":"purchase.completed","award":[{"wallet":"points","amount":20}]}]}""";
        int versions = node.control().programs(node.space()).size();

        JsonNode refused = node.api().post("/v1/admin/config/program", withoutLessonAndCoffee, 409);
        assertThat(refused.path("code").asText()).isEqualTo("removals_not_confirmed");
        assertThat(keys(refused.path("removals"))).containsExactlyInAnyOrder("rule:lesson", "reward:coffee");
        assertThat(node.control().programs(node.space())).hasSize(versions);

        JsonNode published = node.api().post("/v1/admin/config/program",
                withoutLessonAndCoffee.replaceFirst("\\{", "{\"allow_removals\":true,"), 200);
        assertThat(published.path("status").asText()).isEqualTo("published");
        assertThat(keysOf(published.path("changes"), "removed")).containsExactlyInAnyOrder("rule:lesson",
                "reward:coffee");
        assertThat(keysOf(published.path("changes"), "changed")).containsExactly("rule:purchase");
        assertThat(node.control().programs(node.space())).hasSize(versions + 1);
        assertThat(node.control().programs(node.space()).get(versions).program().has("allow_removals")).isFalse();
    }

    @Test
    @Order(3)
    void shouldValidateEffectiveAtAndRefuseBackdatingUnlessConfirmed() throws Exception {
        String rules = "{\"rules\":[{\"key\":\"purchase\",\"event\":\"purchase.completed\","
                + "\"award\":[{\"wallet\":\"points\",\"amount\":30}]}]";
        int versions = node.control().programs(node.space()).size();

        JsonNode badTime = node.api().post("/v1/admin/config/rules", rules + ",\"effective_at\":\"yesterday\"}", 400);
        JsonNode backdated = node.api().post("/v1/admin/config/rules",
                rules + ",\"effective_at\":\"1969-12-31T00:00:00Z\"}", 409);
        assertThat(node.control().programs(node.space())).hasSize(versions);
        JsonNode confirmed = node.api().post("/v1/admin/config/rules",
                rules + ",\"effective_at\":\"1969-12-31T00:00:00Z\",\"allow_backdating\":true}", 200);
        JsonNode future = node.api().post("/v1/admin/config/rules",
                rules.replace("30", "40") + ",\"effective_at\":\"2999-01-01T00:00:00Z\"}", 200);

        assertThat(badTime.path("code").asText()).isEqualTo("invalid_effective_at");
        assertThat(backdated.path("code").asText()).isEqualTo("backdating_not_confirmed");
        assertThat(confirmed.path("effective_at").asText()).isEqualTo("1969-12-31T00:00:00Z");
        assertThat(future.path("effective_at").asText()).isEqualTo("2999-01-01T00:00:00Z");
        assertThat(node.control().programs(node.space())).hasSize(versions + 2);
    }

    private static List<String> paths(JsonNode error) {
        List<String> paths = new ArrayList<>();
        error.path("errors").forEach(e -> paths.add(e.path("path").asText()));
        return paths;
    }

    private static List<String> keys(JsonNode changes) {
        List<String> keys = new ArrayList<>();
        changes.forEach(c -> keys.add(c.path("kind").asText() + ":" + c.path("key").asText()));
        return keys;
    }

    private static List<String> keysOf(JsonNode changes, String action) {
        List<String> keys = new ArrayList<>();
        changes.forEach(c -> {
            if (c.path("action").asText().equals(action)) {
                keys.add(c.path("kind").asText() + ":" + c.path("key").asText());
            }
        });
        return keys;
    }
}

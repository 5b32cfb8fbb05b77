package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ReadIT {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static ObjectNode profile(String userId, long points) {
        ObjectNode p = Json.object().put("user_id", userId);
        p.set("wallets", Json.object().put("points", points));
        return p;
    }

    @Test
    void shouldDecodePercentEncodedUserIdsOnBothProfileRoutes() {
        api.profiles.put(TestApi.SPACE, "account:acme:42", ProfileQuery.Local.of(profile("account:acme:42", 7)));
        for (String route : new String[] {"/v1/profile/", "/v1/customer/"}) {
            TestApi.Answer a = api.sdkGet(TestApi.KEY, route + "account%3Aacme%3A42");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().path("wallets").path("points").asLong()).isEqualTo(7);
            assertThat(a.header("x-perkamo-request-id")).matches("req_[0-9A-Za-z]{24}");
        }
    }

    @Test
    void shouldKeepEncodedSlashesPlusSignsAndUnicodeInUserIds() {
        api.profiles.put(TestApi.SPACE, "shop/eu/42", ProfileQuery.Local.of(profile("shop/eu/42", 1)));
        api.profiles.put(TestApi.SPACE, "a+b café", ProfileQuery.Local.of(profile("a+b café", 2)));
        TestApi.Answer slash = api.sdkGet(TestApi.KEY, "/v1/customer/shop%2Feu%2F42");
        assertThat(slash.status()).as(slash.body()).isEqualTo(200);
        assertThat(slash.json().path("user_id").asText()).isEqualTo("shop/eu/42");
        TestApi.Answer plus = api.sdkGet(TestApi.KEY, "/v1/profile/a%2Bb%20caf%C3%A9");
        assertThat(plus.status()).as(plus.body()).isEqualTo(200);
        assertThat(plus.json().path("user_id").asText()).isEqualTo("a+b café");
    }

    @Test
    void shouldAnswer404CustomerNotFoundForAnUnknownUser() {
        assertError(api.sdkGet(TestApi.KEY, "/v1/profile/nobody-here"), 404, "customer_not_found");
    }

    @Test
    void shouldAnswer503WhenProfilesAreUnavailable() {
        api.profiles.put(TestApi.SPACE, "moving", new ProfileQuery.Unavailable("rebalancing"));
        TestApi.Answer a = api.sdkGet(TestApi.KEY, "/v1/profile/moving");
        assertError(a, 503, "profile_unavailable");
        assertThat(a.header("retry-after")).isEqualTo("1");
    }

    @Test
    void shouldForwardAReadToTheOwningInstanceAndAnswerItsProfile() {
        try (TestApi owner = new TestApi()) {
            owner.profiles.put(TestApi.SPACE, "owned/elsewhere:1",
                    ProfileQuery.Local.of(profile("owned/elsewhere:1", 99)));
            api.profiles.put(TestApi.SPACE, "owned/elsewhere:1", new ProfileQuery.Remote("localhost:" + owner.server.port()));
            TestApi.Answer a = api.sdkGet(TestApi.KEY, "/v1/customer/owned%2Felsewhere%3A1");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().path("wallets").path("points").asLong()).isEqualTo(99);
            assertThat(owner.profiles.asked).contains(TestApi.SPACE + "\nowned/elsewhere:1");

            // the owner lost the partition meanwhile: no loop, a 503 the client can retry
            owner.profiles.put(TestApi.SPACE, "owned/elsewhere:1", new ProfileQuery.Remote("localhost:" + api.server.port()));
            int askedBefore = api.profiles.asked.size();
            TestApi.Answer moved = api.sdkGet(TestApi.KEY, "/v1/customer/owned%2Felsewhere%3A1");
            assertError(moved, 503, "profile_unavailable");
            assertThat(api.profiles.asked).hasSize(askedBefore + 1);

            owner.profiles.put(TestApi.SPACE, "owned/elsewhere:1", new ProfileQuery.Local(Optional.empty()));
            assertError(api.sdkGet(TestApi.KEY, "/v1/customer/owned%2Felsewhere%3A1"), 404, "customer_not_found");
        }
    }

    @Test
    void shouldAnswer503WhenTheOwnerIsUnreachable() {
        api.profiles.put(TestApi.SPACE, "owner-down", new ProfileQuery.Remote("localhost:1"));
        assertError(api.sdkGet(TestApi.KEY, "/v1/profile/owner-down"), 503, "profile_unavailable");
    }

    @Test
    void shouldRefuseTheInternalRouteWithoutTheClusterSecret() {
        api.profiles.put(TestApi.SPACE, "secret-user", ProfileQuery.Local.of(profile("secret-user", 1)));
        String path = "/internal/v1/profile/" + TestApi.SPACE + "/secret-user";
        assertError(api.send("GET", path, null, Map.of()), 403, "forbidden");
        assertError(api.send("GET", path, null, Map.of("x-perkamo-cluster-secret", "wrong")), 403, "forbidden");
        assertThat(api.send("GET", path, null, Map.of("x-perkamo-cluster-secret", TestApi.CLUSTER_SECRET)).status())
                .isEqualTo(200);
    }

    @Test
    void shouldRenderTheProgramWithAnEventCatalog() {
        ObjectNode program = (ObjectNode) Json.parse(("{\"version\":3,\"wallets\":[{\"key\":\"points\",\"name\":\"Points\"}],"
                + "\"rules\":[{\"key\":\"purchase_points\",\"event\":\"purchase.completed\",\"label\":\"Purchase\","
                + "\"award\":[{\"wallet\":\"points\",\"amount\":\"{{amount}} / 100\"}]},"
                + "{\"key\":\"welcome\",\"event\":\"user.registered\",\"award\":[{\"wallet\":\"points\",\"amount\":50}],"
                + "\"unlock\":[\"welcome_member\"]}],\"perks\":[{\"key\":\"welcome_member\",\"name\":\"Welcome\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        api.programs.active.put(TestApi.SPACE, program);
        TestApi.Answer a = api.sdkGet(TestApi.KEY, "/v1/program");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode rules = a.json().path("blueprint").path("earningRules");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).path("event").asText()).isEqualTo("purchase.completed");
        assertThat(rules.get(0).path("label").asText()).isEqualTo("Purchase");
        assertThat(rules.get(0).path("award").get(0).path("wallet").asText()).isEqualTo("points");
        assertThat(rules.get(1).path("event").asText()).isEqualTo("user.registered");
        assertThat(rules.get(1).path("label").asText()).isEqualTo("welcome");
        assertThat(a.json().path("version").asInt()).isEqualTo(3);
        assertThat(a.json().path("wallets")).hasSize(1);
    }

    @Test
    void shouldRenderAnEmptyCatalogForASpaceWithoutAProgram() {
        TestApi.Answer a = api.sdkGet(TestApi.OTHER_SPACE_KEY, "/v1/program");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("blueprint").path("earningRules").isArray()).isTrue();
        assertThat(a.json().path("blueprint").path("earningRules")).isEmpty();
    }

    @Test
    void shouldPublishAndReadAdminConfig() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/admin/config/wallets", "[{\"key\":\"points\",\"name\":\"Points\"}]");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("status").asText()).isEqualTo("published");
        long version = a.json().path("version").asLong();
        assertThat(version).isPositive();
        TestApi.Answer read = api.sdkGet(TestApi.KEY, "/v1/admin/config/wallets");
        assertThat(read.json().get(0).path("key").asText()).isEqualTo("points");

        TestApi.Answer yaml = api.send("POST", "/v1/admin/config/levels",
                "wallet: xp\nthresholds:\n  - {level: 1, name: Bronze, at: 0}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("x-perkamo-api-key", TestApi.KEY, "content-type", "application/yaml"));
        assertThat(yaml.status()).as(yaml.body()).isEqualTo(200);
        assertThat(api.programs.get(TestApi.SPACE, "levels").orElseThrow().path("wallet").asText()).isEqualTo("xp");
    }

    @Test
    void shouldListEveryConfigProblem() {
        api.programs.problems = java.util.List.of(
                new ProgramConfig.ConfigProblem("rules[0].award[0].wallet", "unknown_wallet", "no wallet gems"),
                new ProgramConfig.ConfigProblem("rules[1].when", "invalid_condition", "bad CEL"));
        try {
            TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/admin/config/rules", "[]");
            assertError(a, 400, "unknown_wallet");
            assertThat(a.json().path("errors")).hasSize(2);
            assertThat(a.json().path("errors").get(1).path("path").asText()).isEqualTo("rules[1].when");
        } finally {
            api.programs.problems = java.util.List.of();
        }
    }

    @Test
    void shouldAnswer404ForAnUnknownConfigModule() {
        assertError(api.sdkPost(TestApi.KEY, "/v1/admin/config/unicorns", "{}"), 404, "unknown_module");
    }
}

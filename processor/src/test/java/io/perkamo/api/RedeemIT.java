package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;

/** POST /v1/rewards/redeem over real HTTP, the shared validation and a fake processor. */
class RedeemIT {
    private static final String PATH = "/v1/rewards/redeem";
    private static final String EVENTS_ONLY_KEY = "sk_test_eventsonly_0123456789";
    private static final String REDEEM_ONLY_KEY = "sk_test_redeemonly_0123456789";
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withSharedValidation();
        api.keys.add(EVENTS_ONLY_KEY, Fakes.server("key_ev", TestApi.SPACE, ApiCaller.Scopes.EVENTS_WRITE));
        api.keys.add(REDEEM_ONLY_KEY, Fakes.server("key_rr", TestApi.SPACE, ApiCaller.Scopes.REWARDS_REDEEM));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String redeem(String user, String reward, String tx) {
        return "{\"user_id\":\"" + user + "\",\"reward\":\"" + reward + "\",\"transaction_id\":\"" + tx + "\"}";
    }

    /** The fake processor credits 10 points per event. */
    private static void earn(String user, int events) {
        for (int i = 0; i < events; i++) {
            TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", "{\"user_id\":\"" + user
                    + "\",\"event\":\"lesson.finished\",\"transaction_id\":\"earn-" + user + "-" + i + "\"}");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
        }
    }

    private static long submittedFor(String user) {
        return api.gateway.submitted.stream().filter(i -> i.userId().equals(user)).count();
    }

    @Test
    void shouldRefuseKeysWithoutTheRewardsRedeemScope() {
        for (String key : new String[] {EVENTS_ONLY_KEY, TestApi.READ_ONLY_KEY}) {
            TestApi.Answer a = api.sdkPost(key, PATH, redeem("scope-user", "coffee", "scope-1"));
            assertError(a, 403, "insufficient_scope");
            assertThat(a.json().path("scope").asText()).isEqualTo("rewards:redeem");
        }
        assertThat(submittedFor("scope-user")).isZero();
    }

    @Test
    void shouldAcceptAKeyThatMayOnlyRedeem() {
        TestApi.Answer a = api.sdkPost(REDEEM_ONLY_KEY, PATH, redeem("redeem-only", "coffee", "ro-1"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void shouldRefuseAMissingKeyAndABrowserKey() {
        assertError(api.post(null, PATH, redeem("nokey", "coffee", "nk-1")), 401, "missing_api_key");
        assertError(api.post(TestApi.BROWSER_KEY, PATH, redeem("nokey", "coffee", "nk-1")), 403, "forbidden");
        assertThat(submittedFor("nokey")).isZero();
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("{\"user_id\":\"v\",\"transaction_id\":\"t\"}", ErrorCodes.INVALID_REWARD),
                Arguments.of("{\"user_id\":\"v\",\"reward\":\"\",\"transaction_id\":\"t\"}", ErrorCodes.INVALID_REWARD),
                Arguments.of("{\"user_id\":\"v\",\"reward\":\"Free Coffee!\",\"transaction_id\":\"t\"}",
                        ErrorCodes.INVALID_REWARD),
                Arguments.of("{\"user_id\":\"v\",\"reward\":\"coffee\"}", ErrorCodes.INVALID_TRANSACTION_ID),
                Arguments.of("{\"reward\":\"coffee\",\"transaction_id\":\"t\"}", ErrorCodes.INVALID_USER_ID),
                Arguments.of("{\"user_id\":\"v\",\"reward\":\"coffee\",\"transaction_id\":\"t\",\"context\":\"x\"}",
                        ErrorCodes.INVALID_CONTEXT),
                Arguments.of("{\"user_id\":\"v\",\"reward\":\"coffee\",\"transaction_id\":\"t\",\"context\":{\"Perks\":1}}",
                        ErrorCodes.RESERVED_CONTEXT_FIELD),
                Arguments.of("{\"user_id\":\"v\",\"reward\":", ErrorCodes.INVALID_JSON),
                Arguments.of("[\"coffee\"]", ErrorCodes.INVALID_JSON));
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void shouldAnswer400WithTheSharedRulesCodeAndSubmitNothing(String body, String code) {
        int before = api.gateway.submitted.size();
        assertError(api.sdkPost(TestApi.KEY, PATH, body), 400, code);
        assertThat(api.gateway.submitted).hasSize(before);
    }

    @Test
    void shouldSubmitARedemptionWhateverKindTheBodyClaims() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, PATH, "{\"user_id\":\"kind-user\",\"reward\":\"coffee\","
                + "\"transaction_id\":\"k-1\",\"kind\":\"event\",\"context\":{\"store\":\"prague\"},\"extra\":1}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        Input.Redemption r = (Input.Redemption) api.gateway.submitted.stream()
                .filter(i -> i.userId().equals("kind-user")).findFirst().orElseThrow();
        assertThat(r.reward()).isEqualTo("coffee");
        assertThat(r.txId()).isEqualTo("k-1");
        assertThat(r.context().path("store").asText()).isEqualTo("prague");
    }

    @Test
    void shouldAnswerARedemptionWithTheDebitAndTheReward() {
        earn("rich", 4);
        TestApi.Answer a = api.sdkPost(TestApi.KEY, PATH, redeem("rich", "coffee", "rich-1"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode r = a.json();
        SdkContract.assertIngestResult(r);
        assertThat(r.path("applied").asBoolean()).isTrue();
        assertThat(r.path("duplicate").asBoolean()).isFalse();
        assertThat(r.path("status").asText()).isEqualTo("redeemed");
        assertThat(r.path("delta").get(0).path("wallet").asText()).isEqualTo("points");
        assertThat(r.path("delta").get(0).path("amount").asLong()).isEqualTo(-30);
        assertThat(r.path("unlocked").get(0).path("type").asText()).isEqualTo("reward");
        assertThat(r.path("unlocked").get(0).path("key").asText()).isEqualTo("coffee");
        assertThat(r.path("wallet_state").path("points").asLong()).isEqualTo(10);
        assertThat(r.path("transaction_id").asText()).isEqualTo("rich-1");
    }

    @Test
    void shouldAnswerARejectionAs200WithAppliedFalseAndTheReason() {
        earn("poor", 1);
        TestApi.Answer broke = api.sdkPost(TestApi.KEY, PATH, redeem("poor", "coffee", "poor-1"));
        TestApi.Answer unknown = api.sdkPost(TestApi.KEY, PATH, redeem("poor", "yacht", "poor-2"));

        for (TestApi.Answer a : new TestApi.Answer[] {broke, unknown}) {
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            SdkContract.assertIngestResult(a.json());
            assertThat(a.json().path("applied").asBoolean()).isFalse();
            assertThat(a.json().path("duplicate").asBoolean()).isFalse();
            assertThat(a.json().path("status").asText()).isEqualTo("rejected");
            assertThat(a.json().path("delta")).isEmpty();
            assertThat(a.json().has("code")).as("a rejection is a result, not an error body").isFalse();
        }
        assertThat(broke.json().path("reason").asText()).isEqualTo("insufficient_balance");
        assertThat(unknown.json().path("reason").asText()).isEqualTo("unknown_reward");
        assertThat(broke.json().path("wallet_state").path("points").asLong()).isEqualTo(10);
    }

    @Test
    void shouldAnswerARetryAsADuplicateOfTheSameResult() {
        earn("retry", 3);
        TestApi.Answer first = api.sdkPost(TestApi.KEY, PATH, redeem("retry", "coffee", "retry-1"));
        TestApi.Answer again = api.sdkPost(TestApi.KEY, PATH, redeem("retry", "coffee", "retry-1"));

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        SdkContract.assertIngestResult(again.json());
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("applied").asBoolean()).isFalse();
        assertThat(again.json().path("status").asText()).isEqualTo(first.json().path("status").asText())
                .isEqualTo("redeemed");
        assertThat(again.json().path("delta")).isEqualTo(first.json().path("delta"));
        assertThat(again.json().path("wallet_state").path("points").asLong()).isZero();
    }

    @Test
    void shouldAnswerARetriedRejectionWithTheSameRejectionAfterTheBalanceGrew() {
        TestApi.Answer first = api.sdkPost(TestApi.KEY, PATH, redeem("grew", "coffee", "grew-1"));
        earn("grew", 5);
        TestApi.Answer again = api.sdkPost(TestApi.KEY, PATH, redeem("grew", "coffee", "grew-1"));

        assertThat(first.json().path("reason").asText()).isEqualTo("insufficient_balance");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("status").asText()).isEqualTo("rejected");
        assertThat(again.json().path("reason").asText()).isEqualTo("insufficient_balance");
        assertThat(again.json().path("wallet_state").path("points").asLong()).isEqualTo(50);
    }

    @Test
    void shouldAnswer409ForATransactionIdReusedWithAnotherReward() {
        earn("conflict", 3);
        api.sdkPost(TestApi.KEY, PATH, redeem("conflict", "coffee", "conflict-1"));
        TestApi.Answer b = api.sdkPost(TestApi.KEY, PATH, redeem("conflict", "tea", "conflict-1"));
        assertError(b, 409, "idempotency_conflict");
        assertThat(b.json().path("transaction_id").asText()).isEqualTo("conflict-1");
    }

    @Test
    void shouldCheckTheTenantOfTheBody() {
        String mismatch = "{\"user_id\":\"tenant-user\",\"reward\":\"coffee\",\"transaction_id\":\"t-1\","
                + "\"tenant\":\"someone-else\"}";
        assertError(api.sdkPost(TestApi.KEY, PATH, mismatch), 403, "tenant_mismatch");
        assertThat(submittedFor("tenant-user")).isZero();

        TestApi.Answer same = api.sdkPost(TestApi.KEY, PATH, mismatch.replace("someone-else", TestApi.SPACE));
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(submittedFor("tenant-user")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedRedemptionWhenTheSpaceRequiresSignatures() {
        assertError(api.post(TestApi.SIGNED_ONLY_KEY, PATH, redeem("signed", "coffee", "s-1")), 401,
                "signature_required");
        TestApi.Answer signed = api.sdkPost(TestApi.SIGNED_ONLY_KEY, PATH, redeem("signed", "coffee", "s-1"));
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    }
}

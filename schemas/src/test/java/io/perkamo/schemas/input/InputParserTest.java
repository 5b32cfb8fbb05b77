package io.perkamo.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Samples;
import io.perkamo.schemas.avro.InputKind;

class InputParserTest {

    private static final Instant RECEIVED = Instant.parse("2026-06-01T12:00:00.456Z");

    @Test
    void shouldParseAnEventWithDefaultKind() {
        Input input = valid(InputParser.parseJson(bytes("""
                {"user_id":"u1","event":"purchase.completed","transaction_id":"order_1092",
                 "context":{"amount":1250,"currency":"CZK"},"occurred_at":"2026-06-01T10:00:00+02:00"}"""), RECEIVED));

        assertThat(input).isInstanceOf(Input.Event.class);
        Input.Event event = (Input.Event) input;
        assertThat(event.userId()).isEqualTo("u1");
        assertThat(event.event()).isEqualTo("purchase.completed");
        assertThat(event.txId()).isEqualTo("order_1092");
        assertThat(event.context().get("amount").intValue()).isEqualTo(1250);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-06-01T08:00:00Z"));
    }

    @Test
    void shouldUseTheReceiptTimeWhenOccurredAtIsAbsent() {
        Input input = valid(InputParser.parseEvent(bytes("{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\"}"),
                Instant.parse("2026-06-01T12:00:00.456789Z")));

        assertThat(input.occurredAt()).isEqualTo(RECEIVED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-06-01T10:00:00Z", "2026-06-01T10:00:00+00:00", "2026-06-01T12:00:00+02:00",
            "2026-06-01T10:00:00.000Z", "2026-06-01T10:00:00+0000", "2026-06-01T05:00:00-05:00"})
    void shouldAcceptIsoDateTimesWithAnOffset(String text) {
        Input input = valid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"occurred_at\":\"" + text + "\"}"), RECEIVED));

        assertThat(input.occurredAt()).isEqualTo(Instant.parse("2026-06-01T10:00:00Z"));
    }

    @Test
    void shouldKeepMillisecondsOfFractionalSeconds() {
        Input input = valid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"occurred_at\":\"2026-06-01T10:00:00.123456+00:00\"}"),
                RECEIVED));

        assertThat(input.occurredAt()).isEqualTo(Instant.parse("2026-06-01T10:00:00.123Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-06-01T10:00:00\"", "\"2026-06-01\"", "\"yesterday\"", "1780000000", "true",
            "\"+999999999-12-31T23:59:59Z\""})
    void shouldRejectOccurredAtWithoutOffsetOrNotADate(String value) {
        List<Problem> problems = invalid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"occurred_at\":" + value + "}"), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_OCCURRED_AT);
    }

    @Test
    void shouldRefuseOccurredAtMoreThanADayAfterReceipt() {
        String late = RECEIVED.plus(InputParser.MAX_FUTURE).plusSeconds(1).toString();
        String edge = RECEIVED.plus(InputParser.MAX_FUTURE).toString();

        List<Problem> problems = invalid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"occurred_at\":\"" + late + "\"}"),
                RECEIVED));
        Input accepted = valid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"occurred_at\":\"" + edge + "\"}"),
                RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.OCCURRED_AT_IN_FUTURE);
        assertThat(accepted.occurredAt()).isEqualTo(Instant.parse(edge));
    }

    @Test
    void shouldTreatAnEmptyArrayContextAsAnEmptyObject() {
        Input.Event event = (Input.Event) valid(InputParser.parseEvent(
                bytes("{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":[]}"), RECEIVED));

        assertThat(event.context().isEmpty()).isTrue();
    }

    @Test
    void shouldTreatNullAndAbsentContextAsAnEmptyObject() {
        Input.Event withNull = (Input.Event) valid(InputParser.parseEvent(
                bytes("{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":null}"), RECEIVED));
        Input.Event absent = (Input.Event) valid(InputParser.parseEvent(
                bytes("{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\"}"), RECEIVED));

        assertThat(withNull.context().isEmpty()).isTrue();
        assertThat(absent.context().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"text\"", "42", "true", "[{}]"})
    void shouldRejectAContextThatIsNotAnObject(String context) {
        List<Problem> problems = invalid(InputParser.parseEvent(
                bytes("{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":" + context + "}"), RECEIVED));

        assertThat(problems).containsExactly(new Problem(ErrorCodes.INVALID_CONTEXT, "context",
                problems.get(0).message()));
    }

    @Test
    void shouldRejectAContextOver16KiBOfCompactJson() {
        // {"k":"…"} is 8 bytes of punctuation and key around the value
        String fits = "{\"k\":\"" + "x".repeat(16384 - 8) + "\"}";
        String over = "{\"k\":\"" + "x".repeat(16384 - 7) + "\"}";

        valid(InputParser.parseEvent(bytes("{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\": "
                + fits + "}"), RECEIVED));
        List<Problem> problems = invalid(InputParser.parseEvent(
                bytes("{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":" + over + "}"), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.CONTEXT_TOO_LARGE);
    }

    @Test
    void shouldCountContextSizeInUtf8Bytes() {
        String value = "č".repeat(8200); // 16400 bytes, 8200 chars
        List<Problem> problems = invalid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":{\"k\":\"" + value + "\"}}"), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.CONTEXT_TOO_LARGE);
    }

    @Test
    void shouldRejectReservedContextFieldCaseInsensitively() {
        List<Problem> problems = invalid(InputParser.parseEvent(bytes("""
                {"user_id":"u","event":"a.b","transaction_id":"t",
                 "context":{"XP":1,"Wallets":{},"amount":5,"nested":{"xp":1}}}"""), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsOnly(ErrorCodes.RESERVED_CONTEXT_FIELD);
        assertThat(problems).extracting(Problem::field).containsExactly("context.XP", "context.Wallets");
        assertThat(problems.get(0).message()).contains("\"XP\"");
    }

    @Test
    void shouldListEveryProblemNotJustTheFirst() {
        List<Problem> problems = invalid(InputParser.parseJson(bytes("""
                {"user_id":"","event":"Purchase","context":"x","occurred_at":"soon"}"""), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_USER_ID,
                ErrorCodes.INVALID_TRANSACTION_ID, ErrorCodes.INVALID_EVENT, ErrorCodes.INVALID_CONTEXT,
                ErrorCodes.INVALID_OCCURRED_AT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"purchase", "Purchase.completed", "purchase.", ".purchase", "purchase..completed",
            "purchase.completed!", "1purchase.completed", "purchase.1completed", "purchase-completed.x"})
    void shouldRejectEventsThatAreNotLowercaseNamespaced(String name) {
        List<Problem> problems = invalid(InputParser.parseEvent(
                bytes("{\"user_id\":\"u\",\"event\":\"" + name + "\",\"transaction_id\":\"t\"}"), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_EVENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "purchase.completed", "lesson_v2.finished.first_time", "a1.b_2"})
    void shouldAcceptLowercaseNamespacedEvents(String name) {
        valid(InputParser.parseEvent(bytes("{\"user_id\":\"u\",\"event\":\"" + name + "\",\"transaction_id\":\"t\"}"),
                RECEIVED));
    }

    @Test
    void shouldLimitUserIdTo256Utf8Bytes() {
        String fits = "é".repeat(128); // 256 bytes
        String over = "é".repeat(128) + "a"; // 257 bytes, 129 chars

        valid(InputParser.parseEvent(bytes("{\"user_id\":\"" + fits + "\",\"event\":\"a.b\",\"transaction_id\":\"t\"}"),
                RECEIVED));
        assertThat(invalid(InputParser.parseEvent(
                bytes("{\"user_id\":\"" + over + "\",\"event\":\"a.b\",\"transaction_id\":\"t\"}"), RECEIVED)))
                .extracting(Problem::code).containsExactly(ErrorCodes.INVALID_USER_ID);
    }

    @Test
    void shouldRequireAStringUserId() {
        assertThat(invalid(InputParser.parseEvent(bytes("{\"user_id\":42,\"event\":\"a.b\",\"transaction_id\":\"t\"}"),
                RECEIVED))).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_USER_ID);
    }

    @Test
    void shouldParseSlashesEscapedByPhp() {
        Input.Event event = (Input.Event) valid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"account:acme\\/42\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":{\"url\":\"https:\\/\\/x.test\\/a\"}}"),
                RECEIVED));

        assertThat(event.userId()).isEqualTo("account:acme/42");
        assertThat(event.context().get("url").textValue()).isEqualTo("https://x.test/a");
    }

    @Test
    void shouldKeepExactNumbersInContext() {
        Input.Event event = (Input.Event) valid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":"
                        + "{\"price\":0.1,\"total\":12.50,\"big\":123456789012345678901234567890,\"tiny\":1e-400}}"),
                RECEIVED));

        assertThat(event.context().get("price").decimalValue()).isEqualTo(new BigDecimal("0.1"));
        assertThat(event.context().get("total").decimalValue()).isEqualTo(new BigDecimal("12.50"));
        assertThat(event.context().get("big").bigIntegerValue().toString()).isEqualTo("123456789012345678901234567890");
        assertThat(event.context().get("tiny").decimalValue()).isEqualTo(new BigDecimal("1e-400"));
        assertThat(new String(InputJson.toJsonBytes(event), StandardCharsets.UTF_8))
                .contains("\"price\":0.1").contains("\"total\":12.50").contains("123456789012345678901234567890");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "not json", "[]", "\"text\"", "null", "{\"user_id\":\"u\"} {}",
            "{\"user_id\":\"a\",\"user_id\":\"b\"}"})
    void shouldRejectMalformedJsonOrANonObject(String body) {
        List<Problem> problems = invalid(InputParser.parseJson(bytes(body), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_JSON);
    }

    @Test
    void shouldRejectAnUnknownKind() {
        List<Problem> problems = invalid(InputParser.parseJson(bytes("{\"kind\":\"purchase\",\"user_id\":\"u\"}"), RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_KIND);
    }

    @Test
    void shouldIgnoreUnknownFields() {
        valid(InputParser.parseEvent(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"space\":\"demo\",\"sdk\":{\"v\":1}}"), RECEIVED));
    }

    @Test
    void shouldParseAnIdentifyWithOptionalTransactionId() {
        Input.Identify identify = (Input.Identify) valid(InputParser.parseIdentify(
                bytes("{\"user_id\":\"u\",\"traits\":{\"plan\":\"pro\",\"xp\":3}}"), RECEIVED));

        assertThat(identify.transactionId()).isEmpty();
        assertThat(identify.traits().get("plan").textValue()).isEqualTo("pro");
    }

    @Test
    void shouldApplyObjectRulesToTraits() {
        Input.Identify phpEmpty = (Input.Identify) valid(InputParser.parseJson(
                bytes("{\"kind\":\"identify\",\"user_id\":\"u\",\"traits\":[],\"transaction_id\":\"i1\"}"), RECEIVED));
        List<Problem> notObject = invalid(InputParser.parseIdentify(bytes("{\"user_id\":\"u\",\"traits\":[1]}"), RECEIVED));
        List<Problem> tooLarge = invalid(InputParser.parseIdentify(
                bytes("{\"user_id\":\"u\",\"traits\":{\"k\":\"" + "x".repeat(16400) + "\"}}"), RECEIVED));

        assertThat(phpEmpty.traits().isEmpty()).isTrue();
        assertThat(phpEmpty.transactionId()).contains("i1");
        assertThat(notObject).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_TRAITS);
        assertThat(tooLarge).extracting(Problem::code).containsExactly(ErrorCodes.TRAITS_TOO_LARGE);
    }

    @Test
    void shouldParseARedemption() {
        Input.Redemption redemption = (Input.Redemption) valid(InputParser.parseRedemption(
                bytes("{\"user_id\":\"u\",\"reward\":\"coffee\",\"transaction_id\":\"r1\"}"), RECEIVED));

        assertThat(redemption.reward()).isEqualTo("coffee");
        assertThat(redemption.context().isEmpty()).isTrue();
    }

    @Test
    void shouldRequireRewardAndTransactionIdForARedemption() {
        List<Problem> problems = invalid(InputParser.parseRedemption(bytes("{\"user_id\":\"u\",\"reward\":\"Coffee!\"}"),
                RECEIVED));

        assertThat(problems).extracting(Problem::code)
                .containsExactly(ErrorCodes.INVALID_TRANSACTION_ID, ErrorCodes.INVALID_REWARD);
    }

    @Test
    void shouldForceTheKindOfAnHttpEndpoint() {
        Input input = valid(InputParser.parseEvent(
                bytes("{\"kind\":\"identify\",\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\"}"), RECEIVED));

        assertThat(input.kind()).isEqualTo("event");
    }

    @Test
    void shouldParseBatchElementsReadWithReadTree() {
        JsonNode batch = InputParser.readTree(bytes("{\"events\":[{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\","
                + "\"context\":{\"v\":1.50}},7]}")).orElseThrow();

        Input.Event first = (Input.Event) valid(InputParser.parseEvent(batch.get("events").get(0), RECEIVED));
        List<Problem> second = invalid(InputParser.parseEvent(batch.get("events").get(1), RECEIVED));

        assertThat(first.context().get("v").decimalValue()).isEqualTo(new BigDecimal("1.50"));
        assertThat(second).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_JSON);
        assertThat(InputParser.readTree(bytes("{"))).isEmpty();
    }

    @Test
    void shouldParseAnAvroRecordWithTheRecordTimeAsDefault() {
        io.perkamo.schemas.avro.Input record = Samples.avroInput();
        record.setOccurredAt(null);

        Input.Event event = (Input.Event) valid(InputParser.fromAvro(record, RECEIVED));

        assertThat(event.userId()).isEqualTo("account:acme:42");
        assertThat(event.context().get("currency").textValue()).isEqualTo("CZK");
        assertThat(event.occurredAt()).isEqualTo(RECEIVED);
    }

    @Test
    void shouldValidateAvroRecordsWithTheSameRules() {
        io.perkamo.schemas.avro.Input record = io.perkamo.schemas.avro.Input.newBuilder()
                .setKind(InputKind.event).setUserId("u").setEvent("Bad").setContext("{\"Level\":2}").build();

        List<Problem> problems = invalid(InputParser.fromAvro(record, RECEIVED));

        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCodes.INVALID_TRANSACTION_ID,
                ErrorCodes.INVALID_EVENT, ErrorCodes.RESERVED_CONTEXT_FIELD);
    }

    @Test
    void shouldRejectAvroContextThatIsNotJsonText() {
        io.perkamo.schemas.avro.Input record = Samples.avroInput();
        record.setContext("{amount: 5");

        assertThat(invalid(InputParser.fromAvro(record, RECEIVED))).extracting(Problem::code)
                .containsExactly(ErrorCodes.INVALID_CONTEXT);
    }

    @Test
    void shouldNotShareTheContextNodeWithTheCaller() {
        ObjectNode body = (ObjectNode) InputParser.readTree(bytes(
                "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":{\"a\":1}}")).orElseThrow();

        Input.Event event = (Input.Event) valid(InputParser.parseEvent(body, RECEIVED));
        ((ObjectNode) body.get("context")).put("a", 2);

        assertThat(event.context().get("a").intValue()).isEqualTo(1);
    }

    static Input valid(Parsed parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Valid.class);
        return ((Parsed.Valid) parsed).input();
    }

    static List<Problem> invalid(Parsed parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid) parsed).problems();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

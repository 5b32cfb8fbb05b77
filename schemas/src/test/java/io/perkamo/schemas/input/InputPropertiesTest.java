package io.perkamo.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import java.util.Random;
import net.jqwik.api.arbitraries.StringArbitrary;
import net.jqwik.api.constraints.IntRange;
import io.perkamo.schemas.Json;

class InputPropertiesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Instant RECEIVED = Instant.parse("2030-01-01T00:00:00Z");

    @Property(tries = 250, edgeCases = EdgeCasesMode.MIXIN) // the suite runs on 2 cores
    void validInputsSurviveTheJsonRoundTrip(@ForAll("inputs") Input input) {
        Statistics.label("kind").collect(input.kind());
        Statistics.label("kind").coverage(c -> c.check("identify").count(n -> n > 0));
        Parsed parsed = InputParser.parseJson(InputJson.toJsonBytes(input), RECEIVED);

        assertThat(parsed).isEqualTo(new Parsed.Valid(input));
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.MIXIN) // the suite runs on 2 cores
    void validInputsSurviveTheAvroRoundTrip(@ForAll("inputs") Input input) {
        Parsed parsed = InputParser.fromAvro(InputJson.toAvro(input), RECEIVED);

        assertThat(parsed).isEqualTo(new Parsed.Valid(input));
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.MIXIN) // the suite runs on 2 cores
    void reservedContextKeysAreRejectedInAnyCasing(@ForAll("reservedKeys") String key, @ForAll("inputs") Input input) {
        Assume.event(input);
        ObjectNode json = InputJson.toJson(input);
        ((ObjectNode) json.get("context")).put(key, 1);

        Parsed parsed = InputParser.parseJson(Json.bytes(json), RECEIVED);

        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        assertThat(((Parsed.Invalid) parsed).problems())
                .anySatisfy(p -> {
                    assertThat(p.code()).isEqualTo(ErrorCodes.RESERVED_CONTEXT_FIELD);
                    assertThat(p.field()).isEqualTo("context." + key);
                });
    }

    @Property
    void userIdLimitCountsUtf8BytesNotCharacters(@ForAll("multiByteText") String userId) {
        int bytes = userId.getBytes(StandardCharsets.UTF_8).length;
        ObjectNode json = NODES.objectNode().put("user_id", userId).put("event", "a.b").put("transaction_id", "t");

        Parsed parsed = InputParser.parseJson(Json.bytes(json), RECEIVED);

        if (bytes <= 256) {
            assertThat(parsed).isInstanceOf(Parsed.Valid.class);
        } else {
            assertThat(((Parsed.Invalid) parsed).problems()).extracting(Problem::code)
                    .containsExactly(ErrorCodes.INVALID_USER_ID);
        }
    }

    @Property
    void eventLimitCountsUtf8Bytes(@ForAll @IntRange(min = 1, max = 80) int segments) {
        String event = String.join(".", Collections.nCopies(segments, "a"));  // 2*segments-1 bytes
        ObjectNode json = NODES.objectNode().put("user_id", "u").put("event", event).put("transaction_id", "t");

        Parsed parsed = InputParser.parseJson(Json.bytes(json), RECEIVED);

        assertThat(parsed instanceof Parsed.Valid).isEqualTo(segments >= 2 && event.length() <= 128);
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.MIXIN) // the suite runs on 2 cores
    void canonicalJsonIgnoresKeyOrderAndNumberSpelling(@ForAll("contexts") ObjectNode context, @ForAll Random random) {
        ObjectNode reordered = reorder(context, random);

        assertThat(CanonicalJson.write(reordered)).isEqualTo(CanonicalJson.write(context));
        assertThat(CanonicalJson.write(InputParser.readTree(
                CanonicalJson.write(context).getBytes(StandardCharsets.UTF_8)).orElseThrow()))
                .isEqualTo(CanonicalJson.write(context));
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.MIXIN) // the suite runs on 2 cores
    void canonicalUtf8IsTheCanonicalTextInUtf8(@ForAll("contexts") ObjectNode context, @ForAll Random random,
                                               @ForAll String anyText, @ForAll double anyDouble) {
        ObjectNode value = reorder(context, random); // keys out of order, numbers with extra zeros
        value.put("any text", anyText); // any char, lone surrogates too
        if (Double.isFinite(anyDouble)) {
            value.put("double", anyDouble);
        }
        CanonicalJson.Utf8 buffer = new CanonicalJson.Utf8();

        buffer.value(value);

        assertThat(Arrays.copyOf(buffer.bytes(), buffer.length()))
                .isEqualTo(CanonicalJson.write(value).getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Input> inputs() {
        // valid inputs: at most MAX_FUTURE after receipt (later ones are occurred_at_in_future)
        Arbitrary<Instant> at = Arbitraries.longs()
                .between(0, RECEIVED.plus(InputParser.MAX_FUTURE).toEpochMilli()).map(Instant::ofEpochMilli);
        Arbitrary<Input> event = Combinators.combine(text(1, 80), text(1, 80), events(), contexts(), at)
                .as(Input.Event::new);
        Arbitrary<Input> redemption = Combinators.combine(text(1, 80), text(1, 80), rewards(), contexts(), at)
                .as(Input.Redemption::new);
        Arbitrary<Input> identify = Combinators.combine(text(1, 80), text(1, 80).optional(), objects(true), at)
                .as(Input.Identify::new);
        return Arbitraries.oneOf(event, redemption, identify);
    }

    @Provide
    Arbitrary<String> reservedKeys() {
        return Combinators.combine(Arbitraries.of(InputParser.RESERVED_CONTEXT_KEYS),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as((name, mask) -> {
                    StringBuilder key = new StringBuilder();
                    for (int i = 0; i < name.length(); i++) {
                        char c = name.charAt(i);
                        key.append(((mask >> i) & 1) == 1 ? Character.toUpperCase(c) : c);
                    }
                    return key.toString();
                });
    }

    @Provide
    Arbitrary<String> multiByteText() {
        // 1, 2, 3 and 4 byte characters (é, č, 漢, 😀 as a surrogate pair)
        return Arbitraries.of("a", "é", "č", "漢", "😀").list().ofMinSize(1).ofMaxSize(200).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<ObjectNode> contexts() {
        return objects(false);
    }

    private static Arbitrary<ObjectNode> objects(boolean allowReserved) {
        Arbitrary<String> keys = text(0, 12).filter(k -> allowReserved
                || !InputParser.RESERVED_CONTEXT_KEYS.contains(k.toLowerCase(Locale.ROOT)));
        return Arbitraries.maps(keys, values(2)).ofMaxSize(6).map(InputPropertiesTest::object);
    }

    private static ObjectNode object(Map<String, JsonNode> fields) {
        ObjectNode node = NODES.objectNode();
        fields.forEach(node::set);
        return node;
    }

    /** Values as the parser produces them: int, long only past int, BigInteger only past long, scaled decimals. */
    private static Arbitrary<JsonNode> values(int depth) {
        List<Arbitrary<? extends JsonNode>> leaves = List.of(
                text(0, 20).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().filter(l -> l != (int) (long) l).map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
                        BigInteger.TEN.pow(30)).map(NODES::numberNode),
                Combinators.combine(Arbitraries.longs().between(-10_000_000, 10_000_000), Arbitraries.integers().between(1, 6))
                        .as((unscaled, scale) -> NODES.numberNode(BigDecimal.valueOf(unscaled, scale))),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(leaves);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = values(depth - 1).list().ofMaxSize(3).map(l -> NODES.arrayNode().addAll(l));
        Arbitrary<JsonNode> nested = Arbitraries.maps(text(0, 8), values(depth - 1)).ofMaxSize(3)
                .map(InputPropertiesTest::object);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaf), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(1, nested));
    }

    private static Arbitrary<String> events() {
        Arbitrary<String> segment = Combinators.combine(Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_').ofMaxLength(8))
                .as((first, rest) -> first + rest);
        return segment.list().ofMinSize(2).ofMaxSize(4).map(l -> String.join(".", l));
    }

    private static Arbitrary<String> rewards() {
        return Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1),
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_', '.', '-')
                                .ofMaxLength(20))
                .as((first, rest) -> first + rest);
    }

    /** Any text without lone surrogates, control characters included. */
    private static StringArbitrary text(int min, int max) {
        return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\ufffd')
                .ofMinLength(min).ofMaxLength(max);
    }

    private static ObjectNode reorder(ObjectNode node, Random random) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        Collections.shuffle(names, random);
        ObjectNode copy = NODES.objectNode();
        for (String name : names) {
            JsonNode value = node.get(name);
            copy.set(name, value instanceof ObjectNode object ? reorder(object, random) : respell(value));
        }
        return copy;
    }

    /** The same number with extra trailing zeros: 5 becomes 5.00, 1.5 becomes 1.5000. */
    private static JsonNode respell(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal decimal = value.decimalValue();
            return NODES.numberNode(decimal.setScale(Math.max(decimal.scale(), 0) + 2));
        }
        return value;
    }

    /** Narrows a generated input to the kinds that carry a context. */
    private static final class Assume {
        static void event(Input input) {
            net.jqwik.api.Assume.that(!(input instanceof Input.Identify));
        }
    }
}

package io.perkamo.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

class CanonicalJsonTest {

    @Test
    void shouldSortKeysAtEveryDepthAndDropWhitespace() {
        String canonical = CanonicalJson.write(json("""
                { "b": 1, "a": { "z": [3, {"y": 1, "x": 2}], "m": null }, "A": true }"""));

        assertThat(canonical).isEqualTo("{\"A\":true,\"a\":{\"m\":null,\"z\":[3,{\"x\":2,\"y\":1}]},\"b\":1}");
    }

    @Test
    void shouldKeepArrayOrder() {
        assertThat(CanonicalJson.write(json("[3,1,2]"))).isEqualTo("[3,1,2]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1|1", "1.0|1", "1.00|1", "1e0|1", "10.0|10", "1e2|100", "100|100", "-0.0|0", "0.000|0", "-0|0",
            "2.50|2.5", "0.1|0.1", "-12.340|-12.34", "1e400|1E400", "1.5e-30|15E-31",
            "123456789012345678901234567890|123456789012345678901234567890", "1e21|1000000000000000000000",
            "1e22|1E22", "1.5e-22|0.00000000000000000000015", "1.5e-24|15E-25", "1e999999999|1E999999999"})
    void shouldWriteNumbersByValue(String literal, String canonical) {
        assertThat(CanonicalJson.write(json("{\"n\":" + literal + "}"))).isEqualTo("{\"n\":" + canonical + "}");
    }

    @ParameterizedTest
    @CsvSource({"0", "7", "-7", "12900", "100000000", "-100000000", "2147483647", "-2147483648",
            "9223372036854775807", "-9223372036854775808", "1000000000000000000"})
    void shouldWriteIntsAndLongsAsTheirDecimalText(String literal) {
        // the int/long fast path must agree with the BigDecimal path fingerprints were made with
        JsonNode node = json(literal);
        assertThat(CanonicalJson.number(node)).isEqualTo(literal)
                .isEqualTo(CanonicalJson.number(JsonNodeFactory.instance.numberNode(new java.math.BigInteger(literal))));
    }

    @Test
    void shouldGiveEqualValuesTheSameTextWhateverTheirSpelling() {
        String a = CanonicalJson.write(json("{\"amount\":10,\"tags\":[\"a\"],\"ok\":true}"));
        String b = CanonicalJson.write(json("{ \"ok\" : true , \"tags\" : [ \"a\" ], \"amount\" : 10.000 }"));

        assertThat(a).isEqualTo(b);
    }

    @Test
    void shouldGiveDifferentValuesDifferentTexts() {
        assertThat(CanonicalJson.write(json("{\"a\":1}"))).isNotEqualTo(CanonicalJson.write(json("{\"a\":\"1\"}")));
        assertThat(CanonicalJson.write(json("{\"a\":1}"))).isNotEqualTo(CanonicalJson.write(json("{\"a\":1.0001}")));
        assertThat(CanonicalJson.write(json("[1,2]"))).isNotEqualTo(CanonicalJson.write(json("[2,1]")));
    }

    @Test
    void shouldWriteUnicodeAsIsAndSlashesUnescaped() {
        assertThat(CanonicalJson.write(json("{\"s\":\"P\\u0159\\u00edli\\u0161 \\/ \\\"q\\\" \\n\"}")))
                .isEqualTo("{\"s\":\"Příliš / \\\"q\\\" \\n\"}");
    }

    @Test
    void shouldNormalizeDoubleNodesToo() {
        assertThat(CanonicalJson.write(JsonNodeFactory.instance.numberNode(2.5d))).isEqualTo("2.5");
        assertThat(CanonicalJson.write(JsonNodeFactory.instance.numberNode(3.0d))).isEqualTo("3");
        assertThatThrownBy(() -> CanonicalJson.write(JsonNodeFactory.instance.numberNode(Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode json(String text) {
        return InputParser.readTree(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }
}

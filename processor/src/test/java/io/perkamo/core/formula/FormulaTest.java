package io.perkamo.core.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class FormulaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode ctx(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static FormulaResult eval(String formula, String context) {
        return Formula.parse(formula).evaluate(ctx(context));
    }

    private static long value(String formula, String context) {
        FormulaResult r = eval(formula, context);
        assertThat(r).isInstanceOf(FormulaResult.Value.class);
        return ((FormulaResult.Value) r).value();
    }

    private static String failure(String formula, String context) {
        FormulaResult r = eval(formula, context);
        assertThat(r).isInstanceOf(FormulaResult.Failed.class);
        return ((FormulaResult.Failed) r).reason();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "1 + 2 * 3 | 7",
            "(1 + 2) * 3 | 9",
            "10 - 4 - 3 | 3",
            "100 / 10 / 5 | 2",
            "2 * 3 % 4 | 2",
            "-2 * 3 | -6",
            "- (2 + 3) | -5",
            "--4 | 4",
            "7 / 2 | 3",
            "-7 / 2 | -3",
            "7 / -2 | -3",
            "-7 % 3 | -1",
            "7 % -3 | 1",
            "min(5, 3, 9) | 3",
            "max(5, 3, 9) | 9",
            "max(0, min(100, 250)) + 1 | 101",
            "42 | 42",
    })
    void evaluatesWithPrecedenceAndTruncationTowardZero(String formula, long expected) {
        assertThat(value(formula, "{}")).isEqualTo(expected);
    }

    @Property(tries = 200)
    void divisionMatchesTruncatedIntegerDivision(@ForAll @IntRange(min = -100000, max = 100000) int a,
                                                 @ForAll @IntRange(min = -1000, max = 1000) int b) {
        if (b == 0) {
            return;
        }
        String context = "{\"a\":" + a + ",\"b\":" + b + "}";
        assertThat(value("{{a}} / {{b}}", context)).isEqualTo((long) (int) ((double) a / b));
        assertThat(value("{{a}} % {{b}}", context)).isEqualTo(a - b * (long) (int) ((double) a / b));
    }

    @Test
    void readsDottedPathsAndArrayIndices() {
        assertThat(value("{{order.total}} / 100", "{\"order\":{\"total\":12950}}")).isEqualTo(129);
        assertThat(value("{{items.1.qty}} * 2", "{\"items\":[{\"qty\":1},{\"qty\":5}]}")).isEqualTo(10);
    }

    @Test
    void acceptsIntegralDecimalsAndIntegerStrings() {
        assertThat(value("{{amount}}", "{\"amount\":100.0}")).isEqualTo(100);
        assertThat(value("{{amount}} / 100", "{\"amount\":\"12900\"}")).isEqualTo(129);
        assertThat(value("{{amount}}", "{\"amount\":\"-5\"}")).isEqualTo(-5);
    }

    @Test
    void rejectsFractionalValuesInsteadOfRounding() {
        assertThat(failure("{{amount}}", "{\"amount\":129.9}")).isEqualTo(Formula.NON_NUMERIC_VALUE);
    }

    @Test
    void nonNumericValuesSkipTheAward() {
        assertThat(failure("{{amount}}", "{\"amount\":\"12.9 CZK\"}")).isEqualTo(Formula.NON_NUMERIC_VALUE);
        assertThat(failure("{{amount}}", "{\"amount\":true}")).isEqualTo(Formula.NON_NUMERIC_VALUE);
        assertThat(failure("{{amount}}", "{\"amount\":{\"v\":1}}")).isEqualTo(Formula.NON_NUMERIC_VALUE);
    }

    @Test
    void missingValuesSkipTheAward() {
        assertThat(failure("{{amount}}", "{}")).isEqualTo(Formula.MISSING_VALUE);
        assertThat(failure("{{amount}}", "{\"amount\":null}")).isEqualTo(Formula.MISSING_VALUE);
        assertThat(failure("{{order.total}}", "{\"order\":5}")).isEqualTo(Formula.MISSING_VALUE);
    }

    @Test
    void divisionByZeroSkipsTheAward() {
        assertThat(failure("{{a}} / {{b}}", "{\"a\":1,\"b\":0}")).isEqualTo(Formula.DIVISION_BY_ZERO);
        assertThat(failure("5 % 0", "{}")).isEqualTo(Formula.DIVISION_BY_ZERO);
    }

    @Test
    void overflowSkipsTheAward() {
        assertThat(failure("{{a}} * 2", "{\"a\":" + Long.MAX_VALUE + "}")).isEqualTo(Formula.OVERFLOW);
        assertThat(failure("{{a}} + 1", "{\"a\":" + Long.MAX_VALUE + "}")).isEqualTo(Formula.OVERFLOW);
        assertThat(failure("-{{a}}", "{\"a\":" + Long.MIN_VALUE + "}")).isEqualTo(Formula.OVERFLOW);
        assertThat(failure("{{a}} / -1", "{\"a\":" + Long.MIN_VALUE + "}")).isEqualTo(Formula.OVERFLOW);
        assertThat(failure("{{a}}", "{\"a\":99999999999999999999}")).isEqualTo(Formula.OVERFLOW);
    }

    @Test
    void constantsAreRecognised() {
        assertThat(Formula.parse("-15").constantValue()).contains(-15L);
        assertThat(Formula.parse("{{a}}").constantValue()).isEmpty();
    }

    @ParameterizedTest(name = "''{0}'' fails at {1}")
    @CsvSource(delimiter = '|', value = {
            "1 + | 3",
            "(1 + 2 | 6",
            "{{amount} | 0",
            "{{}} | 0",
            "2 ^ 3 | 2",
            "foo(1, 2) | 0",
            "min(1) | 0",
            "1 2 | 2",
            "99999999999999999999 | 0",
    })
    void reportsSyntaxErrorsWithPosition(String formula, int position) {
        assertThatThrownBy(() -> Formula.parse(formula))
                .isInstanceOfSatisfying(FormulaSyntaxException.class, e -> assertThat(e.position()).isEqualTo(position))
                .hasMessageContaining("position " + position);
    }

    @Test
    void rejectsEmptyAndDeeplyNestedFormulas() {
        assertThatThrownBy(() -> Formula.parse("  ")).isInstanceOf(FormulaSyntaxException.class);
        assertThatThrownBy(() -> Formula.parse("(".repeat(200) + "1" + ")".repeat(200)))
                .isInstanceOf(FormulaSyntaxException.class);
    }
}

package io.perkamo.core.cel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ConditionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Condition compiled(String source) {
        Condition.Compilation c = Condition.compile(source);
        assertThat(c).as("compiles: %s", c).isInstanceOf(Condition.Compilation.Compiled.class);
        return ((Condition.Compilation.Compiled) c).condition();
    }

    private static Condition.Bindings bindings(String context, String traits, Map<String, Long> wallets, long level)
            throws Exception {
        return new Condition.Bindings(CelValues.fromObject((ObjectNode) JSON.readTree(context)), "purchase.completed",
                CelValues.fromObject((ObjectNode) JSON.readTree(traits)), wallets, level);
    }

    private static Condition.Bindings context(String context) throws Exception {
        return bindings(context, "{}", Map.of(), 0);
    }

    @Test
    void comparesContextStrings() throws Exception {
        // given
        Condition c = compiled("context.currency == 'CZK'");
        // when / then
        assertThat(c.evaluate(context("{\"currency\":\"CZK\"}"))).isEqualTo(Condition.Evaluation.TRUE);
        assertThat(c.evaluate(context("{\"currency\":\"EUR\"}"))).isEqualTo(Condition.Evaluation.FALSE);
    }

    @Test
    void jsonIntegersAreIntsAndDecimalsCompareWithInts() throws Exception {
        Condition c = compiled("context.total > 100");
        assertThat(c.evaluate(context("{\"total\":101}"))).isEqualTo(Condition.Evaluation.TRUE);
        assertThat(c.evaluate(context("{\"total\":100.5}"))).isEqualTo(Condition.Evaluation.TRUE);
        assertThat(c.evaluate(context("{\"total\":99}"))).isEqualTo(Condition.Evaluation.FALSE);
    }

    @Test
    void integerArithmeticOnContextValues() throws Exception {
        Condition c = compiled("context.qty * 2 == 8");
        assertThat(c.evaluate(context("{\"qty\":4}"))).isEqualTo(Condition.Evaluation.TRUE);
    }

    @Test
    void readsNestedContextAndLists() throws Exception {
        Condition c = compiled("context.order.items.exists(i, i.sku == 'A1') && context.order.vip == true");
        assertThat(c.evaluate(context("{\"order\":{\"vip\":true,\"items\":[{\"sku\":\"B\"},{\"sku\":\"A1\"}]}}")))
                .isEqualTo(Condition.Evaluation.TRUE);
    }

    @Test
    void readsTraitsWalletsLevelAndEvent() throws Exception {
        Condition c = compiled("traits.plan == 'pro' && wallets['points'] >= 50 && level >= 2 && event.startsWith('purchase.')");
        assertThat(c.evaluate(bindings("{}", "{\"plan\":\"pro\"}", Map.of("points", 50L), 2)))
                .isEqualTo(Condition.Evaluation.TRUE);
        assertThat(c.evaluate(bindings("{}", "{\"plan\":\"pro\"}", Map.of("points", 49L), 2)))
                .isEqualTo(Condition.Evaluation.FALSE);
        assertThat(c.evaluate(bindings("{}", "{\"plan\":\"pro\"}", Map.of("points", 50L), 1)))
                .isEqualTo(Condition.Evaluation.FALSE);
    }

    @Test
    void presenceTestAvoidsMissingKeyErrors() throws Exception {
        Condition c = compiled("has(context.coupon) && context.coupon != null");
        assertThat(c.evaluate(context("{}"))).isEqualTo(Condition.Evaluation.FALSE);
        assertThat(c.evaluate(context("{\"coupon\":null}"))).isEqualTo(Condition.Evaluation.FALSE);
        assertThat(c.evaluate(context("{\"coupon\":\"X\"}"))).isEqualTo(Condition.Evaluation.TRUE);
    }

    @Test
    void missingKeyAtRuntimeIsAnErrorNotAnException() throws Exception {
        Condition c = compiled("context.currency == 'CZK'");
        assertThat(c.evaluate(context("{}"))).isInstanceOf(Condition.Evaluation.Error.class);
    }

    @Test
    void typeMismatchAtRuntimeIsAnError() throws Exception {
        Condition c = compiled("context.total > 100");
        assertThat(c.evaluate(context("{\"total\":\"lots\"}"))).isInstanceOf(Condition.Evaluation.Error.class);
    }

    @Test
    void comprehensionsAreBounded() throws Exception {
        Condition c = compiled("context.xs.all(a, context.xs.all(b, a + b >= 0))");
        StringBuilder xs = new StringBuilder("[0");
        for (int i = 1; i < 100; i++) {
            xs.append(',').append(i);
        }
        xs.append(']');
        // 100 x 100 iterations exceed the cap of 1000
        assertThat(c.evaluate(context("{\"xs\":" + xs + "}"))).isInstanceOf(Condition.Evaluation.Error.class);
        assertThat(c.evaluate(context("{\"xs\":[1,2,3]}"))).isEqualTo(Condition.Evaluation.TRUE);
    }

    @Test
    void rejectsNonBoolExpressionsAtCompileTime() {
        assertThat(Condition.compile("context.total + 1")).isInstanceOf(Condition.Compilation.Failed.class);
        assertThat(Condition.compile("level")).isInstanceOf(Condition.Compilation.Failed.class);
    }

    @Test
    void rejectsTypeErrorsAndUnknownVariablesAtCompileTime() {
        assertThat(Condition.compile("level == 'gold'")).isInstanceOf(Condition.Compilation.Failed.class);
        assertThat(Condition.compile("wallets['points'] == 'x'")).isInstanceOf(Condition.Compilation.Failed.class);
        assertThat(Condition.compile("customer.vip")).isInstanceOf(Condition.Compilation.Failed.class);
        assertThat(Condition.compile("context.a ==")).isInstanceOf(Condition.Compilation.Failed.class);
    }

    @Test
    void rejectsOversizedExpressions() {
        String big = "true" + " && true".repeat(1000);
        assertThat(Condition.compile(big)).isInstanceOf(Condition.Compilation.Failed.class);
    }
}

package io.perkamo.core.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ProgramsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String demoText() {
        try (InputStream in = ProgramsTest.class.getResourceAsStream("/demo-program.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProgramDefinition parsed(String text) {
        ProgramParse p = Programs.parse(text);
        assertThat(p).as("%s", p).isInstanceOf(ProgramParse.Parsed.class);
        return ((ProgramParse.Parsed) p).definition();
    }

    static List<ProgramProblem> problems(String text) {
        ProgramParse p = Programs.parse(text);
        assertThat(p).isInstanceOf(ProgramParse.Invalid.class);
        return ((ProgramParse.Invalid) p).problems();
    }

    @Test
    void demoProgramParsesAndCompiles() {
        // given
        ProgramDefinition def = parsed(demoText());
        // when
        CompiledProgram program = Programs.compile(def, 1, Instant.parse("2024-01-01T00:00:00Z"));
        // then
        assertThat(program.walletKeys()).containsExactly("points", "xp");
        assertThat(program.rulesFor("purchase.completed")).extracting(CompiledProgram.CompiledRule::key)
                .containsExactly("purchase_points");
        assertThat(program.rulesFor("purchase.completed").get(0).when()).isPresent();
        assertThat(program.rulesFor("purchase.refunded").get(0).reversePath()).contains(List.of("order_transaction_id"));
        assertThat(program.levels()).hasValueSatisfying(l -> assertThat(l.thresholds()).hasSize(3));
        assertThat(program.achievementsFor("lesson.finished")).hasSize(2);
        assertThat(program.reward("coffee")).isPresent();
    }

    @Test
    void wireJsonParsesBackToTheSameDefinition() throws Exception {
        // given
        ProgramDefinition def = parsed(demoText());
        // when
        String wire = JSON.writeValueAsString(def.toJson());
        // then
        assertThat(parsed(wire)).isEqualTo(def);
    }

    @Test
    void wireShapeKeepsIntAmountsAsNumbersAndFormulasAsStrings() {
        JsonNode json = parsed(demoText()).toJson();
        JsonNode awards = json.get("rules").get(1).get("award");
        assertThat(awards.get(0).get("amount").isTextual()).isTrue();
        assertThat(awards.get(0).get("amount").textValue()).isEqualTo("{{amount}} / 100");
        assertThat(awards.get(1).get("amount").isIntegralNumber()).isTrue();
        assertThat(json.get("levels").get("basis").textValue()).isEqualTo("earned");
    }

    @Test
    void blueprintListsEarningRulesWithLabelsDefaultingToKeys() {
        // given
        ProgramDefinition def = parsed("""
                {"wallets":[{"key":"points","name":"Points"}],
                 "rules":[{"key":"a","event":"x.y","label":"Ay","award":[{"wallet":"points","amount":5}]},
                          {"key":"b","event":"x.z"}]}""");
        // when
        JsonNode blueprint = def.blueprint().toJson();
        // then
        assertThat(blueprint.get("earningRules")).hasSize(2);
        assertThat(blueprint.get("earningRules").get(0).get("label").textValue()).isEqualTo("Ay");
        assertThat(blueprint.get("earningRules").get(0).get("event").textValue()).isEqualTo("x.y");
        assertThat(blueprint.get("earningRules").get(1).get("label").textValue()).isEqualTo("b");
    }

    @Test
    void basisDefaultsToEarned() {
        ProgramDefinition def = parsed("""
                wallets: [{key: xp, name: XP}]
                levels: {wallet: xp, thresholds: [{level: 1, name: A, at: 0}]}
                """);
        assertThat(def.levels().orElseThrow().basis()).isEqualTo(ProgramDefinition.Basis.EARNED);
    }

    @Test
    void listsEveryProblemWithItsPath() {
        // given a program with many independent mistakes
        String text = """
                wallets:
                  - {key: points, name: Points}
                  - {key: points, name: Again}
                levels:
                  wallet: gems
                  thresholds:
                    - {level: 1, name: A, at: 10}
                    - {level: 2, name: B, at: 5, perks: [nope]}
                rules:
                  - key: r1
                    event: Purchase
                    when: "context.total +"
                    award:
                      - {wallet: coins, amount: 5}
                      - {wallet: points, amount: "{{amount}} /"}
                    limit: {count: 0, per: year}
                  - key: r1
                    event: a.b
                    when: "context.total + 1"
                    unlock: [ghost]
                    reverse: "order"
                  - {event: a.c}
                perks: []
                achievements:
                  - {key: ach, name: Ach, event: a.b}
                rewards:
                  - {key: rw, name: Rw, cost: {wallet: gold, amount: 5}, min_level: 9}
                """;
        // when
        List<ProgramProblem> problems = problems(text);
        // then
        assertThat(problems).extracting(ProgramProblem::path, ProgramProblem::code).containsExactlyInAnyOrder(
                tuple("wallets[1].key", "duplicate_key"),
                tuple("levels.wallet", "unknown_wallet"),
                tuple("levels.thresholds[0].at", "bad_level"),
                tuple("levels.thresholds[1].perks[0]", "unknown_perk"),
                tuple("levels.thresholds[1].at", "bad_level"),
                tuple("rules[0].event", "invalid_event_key"),
                tuple("rules[0].when", "bad_cel"),
                tuple("rules[0].award[0].wallet", "unknown_wallet"),
                tuple("rules[0].award[1].amount", "bad_formula"),
                tuple("rules[0].limit.count", "bad_limit"),
                tuple("rules[0].limit.per", "bad_limit"),
                tuple("rules[1].when", "bad_cel"),
                tuple("rules[1].unlock[0]", "unknown_perk"),
                tuple("rules[1].reverse", "bad_reverse"),
                tuple("rules[1].key", "duplicate_key"),
                tuple("rules[2].key", "missing_field"),
                tuple("achievements[0]", "bad_achievement"),
                tuple("rewards[0].cost.wallet", "unknown_reward_wallet"),
                tuple("rewards[0].min_level", "bad_level"));
    }

    @Test
    void formulaProblemsCarryThePosition() {
        List<ProgramProblem> problems = problems("""
                {"wallets":[{"key":"p","name":"P"}],
                 "rules":[{"key":"r","event":"a.b","award":[{"wallet":"p","amount":"{{x}} * (2"}]}]}""");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("rules[0].award[0].amount");
            assertThat(p.message()).contains("position 10");
        });
    }

    @Test
    void levelsMustAscend() {
        List<ProgramProblem> problems = problems("""
                wallets: [{key: xp, name: XP}]
                levels: {wallet: xp, basis: lifetime, thresholds: [{level: 2, name: A, at: 0}, {level: 1, name: B, at: 10}]}
                """);
        assertThat(problems).extracting(ProgramProblem::path).containsExactlyInAnyOrder(
                "levels.basis", "levels.thresholds[1].level");
    }

    @Test
    void malformedTextIsOneSyntaxProblem() {
        assertThat(problems("{\"wallets\": [")).extracting(ProgramProblem::code).containsExactly("invalid_syntax");
        assertThat(problems("wallets: [unclosed")).extracting(ProgramProblem::code).containsExactly("invalid_syntax");
        assertThat(problems("")).extracting(ProgramProblem::code).containsExactly("invalid_syntax");
        assertThat(problems("- just\n- a list")).extracting(ProgramProblem::code).containsExactly("invalid_type");
    }

    @Test
    void compileRefusesAnInvalidDefinition() {
        ProgramDefinition bad = new ProgramDefinition(List.of(), java.util.Optional.empty(),
                List.of(new ProgramDefinition.Rule("r", "a.b", java.util.Optional.empty(), java.util.Optional.empty(),
                        List.of(new ProgramDefinition.Award("ghost", new ProgramDefinition.Amount.Fixed(1))),
                        List.of(), java.util.Optional.empty(), java.util.Optional.empty())),
                List.of(), List.of(), List.of());
        assertThatThrownBy(() -> Programs.compile(bad, 1, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void historyPicksTheVersionInForceAtEventTime() {
        // given
        ProgramDefinition def = parsed(demoText());
        CompiledProgram v1 = Programs.compile(def, 1, Instant.parse("2024-01-01T00:00:00Z"));
        CompiledProgram v2 = Programs.compile(def, 2, Instant.parse("2024-02-01T00:00:00Z"));
        CompiledProgram v3 = Programs.compile(def, 3, Instant.parse("2024-02-01T00:00:00Z"));
        // when
        ProgramHistory history = ProgramHistory.of(v3, v1, v2);
        // then
        assertThat(history.inForceAt(Instant.parse("2023-12-31T23:59:59Z"))).isSameAs(CompiledProgram.EMPTY);
        assertThat(history.inForceAt(Instant.parse("2024-01-01T00:00:00Z"))).isSameAs(v1);
        assertThat(history.inForceAt(Instant.parse("2024-01-31T23:59:59Z"))).isSameAs(v1);
        assertThat(history.inForceAt(Instant.parse("2024-02-01T00:00:00Z"))).isSameAs(v3);
        assertThat(history.versions()).containsExactly(v1, v2, v3);
    }

    @Test
    void aVersionAddedAgainReplacesTheOldOne() {
        ProgramDefinition def = parsed(demoText());
        CompiledProgram early = Programs.compile(def, 1, Instant.parse("2024-01-01T00:00:00Z"));
        CompiledProgram moved = Programs.compile(def, 1, Instant.parse("2024-03-01T00:00:00Z"));
        ProgramHistory history = ProgramHistory.of(early).with(moved);
        assertThat(history.versions()).containsExactly(moved);
        assertThat(history.inForceAt(Instant.parse("2024-02-01T00:00:00Z"))).isSameAs(CompiledProgram.EMPTY);
    }

    @Test
    void periodsStartAtUtcBoundaries() {
        Instant sunday = Instant.parse("2024-03-31T23:59:59Z");
        assertThat(Period.DAY.start(sunday)).isEqualTo(Instant.parse("2024-03-31T00:00:00Z"));
        assertThat(Period.WEEK.start(sunday)).isEqualTo(Instant.parse("2024-03-25T00:00:00Z"));
        assertThat(Period.WEEK.start(Instant.parse("2024-04-01T00:00:00Z"))).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
        assertThat(Period.MONTH.start(sunday)).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(Period.LIFETIME.start(sunday)).isEqualTo(Instant.EPOCH);
    }
}

package io.perkamo.core.program;

import static io.perkamo.core.program.ProgramsTest.parsed;
import static io.perkamo.core.program.ProgramsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A new program is read strictly: the mistakes that would otherwise silently stop rules. */
class ProgramStrictnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRootThatIsNotAnObjectIsOneProblemSayingWhatWasGot() {
        assertThat(problems("[{\"key\": \"points\"}]")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEmpty();
            assertThat(p.code()).isEqualTo("invalid_type");
            assertThat(p.message()).isEqualTo(
                    "a program must be a JSON/YAML object (mapping) with at least `wallets`; got an array");
        });
        assertThat(problems("just some words")).singleElement()
                .satisfies(p -> assertThat(p.message()).endsWith("got a string"));
        assertThat(problems("42")).singleElement()
                .satisfies(p -> assertThat(p.message()).endsWith("got a number"));
        assertThat(problems("null")).singleElement()
                .satisfies(p -> assertThat(p.message()).endsWith("got null"));
        assertThat(problems("# only a comment\n")).singleElement()
                .satisfies(p -> assertThat(p.code()).isEqualTo("invalid_type"));
    }

    @Test
    void aTreeThatIsNotAnObjectIsAProblemNotAnException() {
        // given trees as an API body would bring them
        List<JsonNode> roots = List.of(JSON.createArrayNode(), JSON.getNodeFactory().textNode("x"),
                JSON.getNodeFactory().numberNode(1), JSON.getNodeFactory().nullNode());
        for (JsonNode root : roots) {
            // when
            ProgramParse parse = Programs.parse(root);
            // then
            assertThat(parse).isInstanceOfSatisfying(ProgramParse.Invalid.class, invalid ->
                    assertThat(invalid.problems()).extracting(ProgramProblem::path, ProgramProblem::code)
                            .containsExactly(tuple("", "invalid_type")));
        }
        assertThat(Programs.parse((JsonNode) null)).isInstanceOf(ProgramParse.Invalid.class);
    }

    @Test
    void anEmptyProgramNeedsAWallet() {
        assertThat(problems("{}")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("wallets");
            assertThat(p.code()).isEqualTo("missing_field");
            assertThat(p.message()).contains("at least one wallet");
        });
        assertThat(problems("wallets: []")).extracting(ProgramProblem::path, ProgramProblem::code)
                .containsExactly(tuple("wallets", "missing_field"));
    }

    @Test
    void rulesWithoutWalletsAreRefused() {
        assertThat(problems("rules: [{key: a, event: a.b}]")).extracting(ProgramProblem::path)
                .containsExactly("wallets");
    }

    @Test
    void wrongWalletsAreReportedOnceNotAlsoAsMissing() {
        assertThat(problems("wallets: points")).extracting(ProgramProblem::path, ProgramProblem::code)
                .containsExactly(tuple("wallets", "invalid_type"));
        assertThat(problems("wallets: [points, [1]]")).extracting(ProgramProblem::path, ProgramProblem::code)
                .containsExactly(tuple("wallets[0]", "invalid_type"), tuple("wallets[1]", "invalid_type"));
    }

    @Test
    void anUnknownTopLevelFieldNamesTheFieldMeant() {
        // given rules under a misspelt name: published as is, it would run no rule at all
        String text = """
                wallets: [{key: points, name: Points}]
                rule:
                  - {key: welcome, event: user.registered, award: [{wallet: points, amount: 50}]}
                """;
        // when
        List<ProgramProblem> problems = problems(text);
        // then
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("rule");
            assertThat(p.code()).isEqualTo("unknown_field");
            assertThat(p.message()).isEqualTo("`rule`: unknown field; did you mean `rules`?");
        });
    }

    @Test
    void aFieldInAnotherCaseIsSuggestedInItsOwnCase() {
        assertThat(problems("Wallets: [{key: points, name: Points}]")).extracting(ProgramProblem::message)
                .contains("`Wallets`: unknown field; did you mean `wallets`?");
    }

    @Test
    void aFieldFarFromEveryKnownOneListsTheKnownFields() {
        List<ProgramProblem> problems = problems("""
                wallets: [{key: points, name: Points}]
                whatever: 1
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("whatever");
            assertThat(p.message()).startsWith("`whatever`: unknown field; known fields here: wallets, levels, rules");
        });
    }

    @Test
    void unknownNestedFieldsAreReportedWithTheirPaths() {
        // given stray fields in every kind of nested object
        String text = """
                wallets: [{key: points, name: Points, colour: blue}]
                levels:
                  wallet: points
                  thresold: []
                  thresholds:
                    - {level: 1, name: Bronze, at: 0, perk: [vip]}
                rules:
                  - key: buy
                    event: purchase.completed
                    awards: [{wallet: points, amount: 1}]
                    award: [{wallet: points, ammount: 1, amount: 2}]
                    limit: {count: 1, per: day, pre: day}
                perks: [{key: vip, name: VIP, Name: again}]
                achievements:
                  - {key: streak, name: Streak, event: a.b, streak: {days: 3, day: 3}, counts: 5}
                rewards:
                  - {key: mug, name: Mug, cost: {wallet: points, amount: 5, currency: CZK}, minlevel: 1}
                """;
        // when
        List<ProgramProblem> problems = problems(text);
        // then every one is listed, each with the field meant where one is close
        assertThat(problems).extracting(ProgramProblem::path, ProgramProblem::code, ProgramProblem::message)
                .containsExactlyInAnyOrder(
                        tuple("wallets[0].colour", "unknown_field",
                                "`colour`: unknown field; known fields here: key, name"),
                        tuple("perks[0].Name", "unknown_field", "`Name`: unknown field; did you mean `name`?"),
                        tuple("levels.thresold", "unknown_field",
                                "`thresold`: unknown field; did you mean `thresholds`?"),
                        tuple("levels.thresholds[0].perk", "unknown_field",
                                "`perk`: unknown field; did you mean `perks`?"),
                        tuple("rules[0].awards", "unknown_field", "`awards`: unknown field; did you mean `award`?"),
                        tuple("rules[0].award[0].ammount", "unknown_field",
                                "`ammount`: unknown field; did you mean `amount`?"),
                        tuple("rules[0].limit.pre", "unknown_field", "`pre`: unknown field; did you mean `per`?"),
                        tuple("achievements[0].streak.day", "unknown_field",
                                "`day`: unknown field; did you mean `days`?"),
                        tuple("achievements[0].counts", "unknown_field",
                                "`counts`: unknown field; did you mean `count`?"),
                        tuple("rewards[0].cost.currency", "unknown_field",
                                "`currency`: unknown field; known fields here: wallet, amount"),
                        tuple("rewards[0].minlevel", "unknown_field",
                                "`minlevel`: unknown field; did you mean `min_level`?"));
    }

    @Test
    void aFieldNameThatIsNotAPlainWordIsQuotedInThePath() {
        assertThat(problems("{\"wallets\":[{\"key\":\"p\",\"name\":\"P\",\"a.b c\":1}]}"))
                .extracting(ProgramProblem::path).containsExactly("wallets[0][\"a.b c\"]");
    }

    @Test
    void tenantAndSpaceAreAcceptedAtTheTopLevel() {
        // tenant/space may come in any API body
        ProgramDefinition def = parsed("""
                tenant: demo-test
                space: demo-test
                wallets: [{key: points, name: Points}]
                """);
        assertThat(def.wallets()).extracting(ProgramDefinition.Wallet::key).containsExactly("points");
    }

    @Test
    void webhooksAreRefusedWithWhereEndpointsGo() {
        // webhooks have endpoints of their own (/v1/admin/config/webhooks), no longer in the program
        assertThat(problems("""
                wallets: [{key: points, name: Points}]
                webhooks: [{url: "https://example.com/hook"}]
                """)).extracting(ProgramProblem::path, ProgramProblem::code)
                .containsExactly(tuple("webhooks", "unknown_field"));
        assertThat(problems("{\"wallets\":[{\"key\":\"p\",\"name\":\"P\"}],\"webhooks\":[]}").get(0).message())
                .contains("POST /v1/admin/config/webhooks", "perkamo webhooks add");
    }

    @Test
    void aPublishedVersionWithWebhooksStillReads() {
        // versions published before endpoints had their own place keep running
        assertThat(Programs.parsePublished(new ObjectMapper().valueToTree(java.util.Map.of(
                "wallets", java.util.List.of(java.util.Map.of("key", "points", "name", "Points")),
                "webhooks", java.util.List.of(java.util.Map.of("url", "https://example.com/hook"))))))
                .isInstanceOf(ProgramParse.Parsed.class);
    }

    @Test
    void everyTypeMismatchIsAProblemWithItsPath() {
        // given a value of the wrong type in every typed place
        String text = """
                wallets: [{key: points, name: Points}, {key: [gems], name: {n: 1}}]
                levels:
                  wallet: points
                  basis: [earned]
                  thresholds: {level: 1}
                rules:
                  - key: r
                    event: 12
                    label: [x]
                    when: true
                    award: {wallet: points, amount: 1}
                    unlock: vip
                    limit: 3
                    reverse: {a: 1}
                  - key: s
                    event: a.b
                    award: [{wallet: points, amount: 1.5}, 7]
                    unlock: [1]
                perks: {key: vip}
                achievements:
                  - {key: a, name: A, event: a.b, count: five}
                  - {key: b, name: B, event: a.b, streak: 7}
                rewards:
                  - {key: m, name: M, cost: 5, min_level: one, limit: {count: x, per: 1}}
                  - {key: 7, name: N, cost: {wallet: points, amount: "5"}}
                """;
        // when
        List<ProgramProblem> problems = problems(text);
        // then
        assertThat(problems).extracting(ProgramProblem::path, ProgramProblem::code).containsExactlyInAnyOrder(
                tuple("wallets[1].key", "invalid_type"),
                tuple("wallets[1].name", "invalid_type"),
                tuple("perks", "invalid_type"),
                tuple("levels.basis", "invalid_type"),
                tuple("levels.thresholds", "invalid_type"),
                tuple("rules[0].event", "invalid_event_key"),
                tuple("rules[0].label", "invalid_type"),
                tuple("rules[0].when", "invalid_type"),
                tuple("rules[0].award", "invalid_type"),
                tuple("rules[0].unlock", "invalid_type"),
                tuple("rules[0].limit", "bad_limit"),
                tuple("rules[0].reverse", "invalid_type"),
                tuple("rules[1].award[0].amount", "bad_formula"),
                tuple("rules[1].award[1]", "invalid_type"),
                tuple("rules[1].unlock[0]", "invalid_type"),
                tuple("achievements[0].count", "invalid_type"),
                tuple("achievements[1].streak", "invalid_type"),
                tuple("rewards[0].cost", "invalid_type"),
                tuple("rewards[0].min_level", "invalid_type"),
                tuple("rewards[0].limit.count", "bad_limit"),
                tuple("rewards[0].limit.per", "bad_limit"),
                tuple("rewards[1].key", "invalid_type"),
                tuple("rewards[1].cost.amount", "invalid_type"));
        assertThat(problems).filteredOn(p -> p.path().equals("levels.thresholds")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("thresholds is a list, not an object"));
        assertThat(problems).filteredOn(p -> p.path().equals("rewards[1].key")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("key is a string, not a number; quote it: key: \"7\""));
        assertThat(problems).filteredOn(p -> p.path().equals("rules[1].award[0].amount")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("amount is an integer or a formula string"));
    }

    @Test
    void aWalletKeyPhpTurnsIntoAnIntegerIsRefusedWithTheReason() {
        // given wallet keys json_decode would make int array keys
        String text = """
                wallets:
                  - {key: "2024", name: Year}
                  - {key: 0, name: Zero}
                  - {key: "-7", name: Minus}
                  - {key: "007", name: Bond}
                  - {key: "-0", name: Minus zero}
                  - {key: "99999999999999999999", name: Beyond int}
                  - {key: "1.5", name: Decimal}
                  - {key: points2024, name: Points}
                """;
        // when
        List<ProgramProblem> problems = problems(text);
        // then only the canonical integers within PHP's int range are refused
        assertThat(problems).extracting(ProgramProblem::path, ProgramProblem::code).containsExactly(
                tuple("wallets[0].key", "invalid_wallet_key"),
                tuple("wallets[1].key", "invalid_wallet_key"),
                tuple("wallets[2].key", "invalid_wallet_key"));
        assertThat(problems.get(0).message()).contains("`2024`", "PHP", "json_decode", "integer", "`w2024`");
    }

    @Test
    void severalKindsOfProblemsAreAllListedTogether() {
        // given a typo, a numeric wallet key, a wrong type and a reference to nothing
        String text = """
                wallets: [{key: "1", name: One}]
                rules:
                  - {key: r, event: a.b, lable: R, award: [{wallet: gems, amount: 1}], limit: {count: 1, per: 5}}
                rewadrs: []
                """;
        // when
        List<ProgramProblem> problems = problems(text);
        // then
        assertThat(problems).extracting(ProgramProblem::path, ProgramProblem::code).containsExactlyInAnyOrder(
                tuple("rewadrs", "unknown_field"),
                tuple("wallets[0].key", "invalid_wallet_key"),
                tuple("rules[0].lable", "unknown_field"),
                tuple("rules[0].award[0].wallet", "unknown_wallet"),
                tuple("rules[0].limit.per", "bad_limit"));
    }

    @Test
    void aKeyGivenTwiceInTheTextIsASyntaxProblem() {
        // a second `rules:` would otherwise silently replace the first
        String yaml = """
                wallets: [{key: points, name: Points}]
                rules: [{key: a, event: a.b}]
                rules: [{key: b, event: a.c}]
                """;
        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("invalid_syntax");
            assertThat(p.message()).contains("rules");
        });
        assertThat(problems("{\"wallets\":[{\"key\":\"p\",\"name\":\"P\",\"name\":\"Q\"}]}"))
                .extracting(ProgramProblem::code).containsExactly("invalid_syntax");
    }

    @Test
    void aPublishedVersionIsReadWithTheRulesItWasPublishedUnder() throws Exception {
        // given a stored version from before the strict schema: a stray field, no wallet
        ObjectNode noWallet = (ObjectNode) JSON.readTree("{\"rules\":[{\"key\":\"r\",\"event\":\"a.b\",\"note\":\"x\"}]}");
        ObjectNode numericKey = (ObjectNode) JSON.readTree("{\"wallets\":[{\"key\":\"2024\",\"name\":\"Y\"}]}");
        // when
        ProgramParse lenient = Programs.parsePublished(noWallet);
        // then it still runs, and compiles, as it did
        assertThat(lenient).isInstanceOf(ProgramParse.Parsed.class);
        assertThat(Programs.compile(((ProgramParse.Parsed) lenient).definition(), 3, Instant.EPOCH)
                .rulesFor("a.b")).hasSize(1);
        assertThat(Programs.parsePublished(numericKey)).isInstanceOf(ProgramParse.Parsed.class);
        // and the checks that were always there still hold
        assertThat(Programs.parsePublished(JSON.readTree("{\"rules\":[{\"event\":\"a.b\"}]}")))
                .isInstanceOf(ProgramParse.Invalid.class);
        // while a new program with the same shapes is refused
        assertThat(Programs.parse(noWallet)).isInstanceOf(ProgramParse.Invalid.class);
        assertThat(Programs.parse(numericKey)).isInstanceOf(ProgramParse.Invalid.class);
    }

    @Test
    void closestSuggestsOnlyNearMisses() {
        List<String> known = ProgramReader.ROOT_FIELDS;
        assertThat(ProgramReader.closest("rule", known)).contains("rules");
        assertThat(ProgramReader.closest("walets", known)).contains("wallets");
        assertThat(ProgramReader.closest("LEVELS", known)).contains("levels");
        assertThat(ProgramReader.closest("x", known)).isEmpty();
        assertThat(ProgramReader.closest("colour", known)).isEmpty();
        assertThat(ProgramReader.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(ProgramReader.levenshtein("", "abc")).isEqualTo(3);
    }
}

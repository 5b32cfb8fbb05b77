package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.api.Simulator;
import io.perkamo.cli.PerkamoCli;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestKafka;
import picocli.CommandLine;

/**
 * POST /v1/admin/simulate on a running instance: the what-if of a draft over the key's Space
 * answers the same summary as {@code perkamo replay --program}, and past its bounds it answers
 * 413 / 422 with a code; an invalid draft lists its problems.
 */
class SimulateIT {
    private static final String PROGRAM = """
            wallets:
              - {key: points, name: Points}
            rules:
              - {key: purchase, event: purchase.completed, award: [{wallet: points, amount: 10}]}
            """;
    private static final String DRAFT = """
            {"wallets":[{"key":"points","name":"Points"}],
             "rules":[{"key":"purchase","event":"purchase.completed","award":[{"wallet":"points","amount":25}]}]}""";

    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("simulate", 2).programYaml(PROGRAM).build();

    @TempDir
    static Path work;

    @BeforeAll
    static void history() throws Exception {
        // given three users with two purchases each, folded by the live processor (10 points a purchase)
        for (String user : new String[] {"alice", "bob", "carol"}) {
            for (int i = 1; i <= 2; i++) {
                JsonNode answer = node.api().post("/v1/events", "{\"user_id\":\"" + user + "\",\"event\":"
                        + "\"purchase.completed\",\"transaction_id\":\"" + user + "-" + i + "\"}", 200);
                assertThat(answer.path("delta").toString()).contains("\"amount\":10");
            }
        }
    }

    @Test
    void shouldAnswerTheDraftsTotalsAsTheReplayCommandDoes() throws Exception {
        // when the draft (25 points a purchase) is simulated over HTTP and with perkamo replay --program
        JsonNode http = node.api().post("/v1/admin/simulate", "{\"program\":" + DRAFT + "}", 200);
        JsonNode cli = replayCommand(DRAFT);

        // then both saw the six purchases, and the draft credits 25 where the live program credited 10
        assertThat(http.path("mode").asText()).isEqualTo("what-if");
        assertThat(http.path("space").asText()).isEqualTo(node.space());
        assertThat(http.path("inputs").asLong()).isEqualTo(6);
        assertThat(http.path("users").asLong()).isEqualTo(3);
        assertThat(http.path("differing_users").asLong()).isEqualTo(3);
        assertThat(http.at("/wallets/points/live/credited").asLong()).isEqualTo(60);
        assertThat(http.at("/wallets/points/draft/credited").asLong()).isEqualTo(150);
        assertThat(http.at("/wallets/points/difference/outstanding").asLong()).isEqualTo(90);
        assertThat(withoutTimings(http)).isEqualTo(withoutTimings(cli));
    }

    @Test
    void shouldTakeADraftSentAsTheWholeBodyInYaml() throws Exception {
        // when the body is the draft itself, in YAML, in force from after the history
        String yaml = PROGRAM.replace("amount: 10", "amount: 25") + "effective_at: \"2999-01-01T00:00:00Z\"\n";
        JsonNode answer = ApiClient.json(node.api().send(node.api().request("/v1/admin/simulate")
                .header("content-type", "application/yaml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(yaml))));

        // then nothing changes: every purchase was made before the draft is in force
        assertThat(answer.path("inputs").asLong()).as(answer.toString()).isEqualTo(6);
        assertThat(answer.path("differing_users").asLong()).isZero();
        assertThat(answer.at("/program/effective_at").asText()).isEqualTo("2999-01-01T00:00:00Z");
        assertThat(answer.at("/wallets/points/draft/credited").asLong()).isEqualTo(60);
    }

    @Test
    void shouldRefuseALogLargerThanMaxInputsWith413() throws Exception {
        JsonNode refused = node.api().post("/v1/admin/simulate", "{\"program\":" + DRAFT + ",\"max_inputs\":5}", 413);

        assertThat(refused.path("code").asText()).isEqualTo("simulation_too_large");
        assertThat(refused.path("max_inputs").asLong()).isEqualTo(5);
        assertThat(refused.path("message").asText()).contains("perkamo replay --program");
    }

    @Test
    void shouldListEveryProblemOfAnInvalidDraft() throws Exception {
        JsonNode refused = node.api().post("/v1/admin/simulate",
                "{\"program\":{\"wallets\":\"points\",\"rule\":[]}}", 400);
        JsonNode badMax = node.api().post("/v1/admin/simulate", "{\"program\":" + DRAFT + ",\"max_inputs\":0}", 400);

        assertThat(refused.path("code").asText()).isEqualTo("invalid_program");
        assertThat(refused.path("errors").toString()).contains("wallets").contains("did you mean `rules`?");
        assertThat(badMax.path("code").asText()).isEqualTo("invalid_max_inputs");
    }

    @Test
    void shouldAnswerTooSlowPastTheTimeBound() throws Exception {
        // given a simulator whose time bound has passed before the first batch is folded
        ReplaySimulator simulator = new ReplaySimulator(TestKafka.bootstrapServers(), node.control(),
                Optional.empty(), Duration.ofDays(30), ReplaySimulator.MAX_RECORDS, Duration.ZERO);

        Simulator.Result result = simulator.simulate(node.space(), ApiClient.json(DRAFT), Optional.empty(),
                OptionalLong.empty());

        assertThat(result).isEqualTo(new Simulator.TooSlow(0));
    }

    private static JsonNode replayCommand(String draft) throws Exception {
        Path program = Files.writeString(work.resolve("draft.json"), draft);
        Path report = work.resolve("report");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PerkamoCli());
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("replay", "--space", node.space(), "--bootstrap-servers", TestKafka.bootstrapServers(),
                "--program", program.toString(), "--report", report.toString());
        assertThat(code).as(err.toString()).isZero();
        return ApiClient.json(Files.readString(report.resolve("summary.json")));
    }

    private static JsonNode withoutTimings(JsonNode summary) {
        ObjectNode copy = summary.deepCopy();
        copy.remove("seconds");
        copy.remove("records_per_s");
        return copy;
    }
}

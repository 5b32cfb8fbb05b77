package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.perkamo.testing.TestKafka;

class ProgramCommandIT {
    private final String bootstrap = TestKafka.bootstrapServers();

    @TempDir
    Path dir;

    @Test
    void shouldPublishAValidProgramAsTheNextVersionAndShowIt() throws Exception {
        String slug = space();
        Path file = dir.resolve("program.yaml");
        Files.writeString(file, """
                wallets: [{key: points, name: Points}]
                rules:
                  - {key: lesson, event: lesson.finished, label: Lesson, award: [{wallet: points, amount: 5}]}
                """);

        CliRun first = CliRun.perkamo("program", "apply", "--space", slug, "--file", file.toString(),
                "--bootstrap-servers", bootstrap);
        CliRun second = CliRun.perkamo("program", "apply", "--space", slug, "--file", file.toString(),
                "--bootstrap-servers", bootstrap);
        CliRun show = CliRun.perkamo("program", "show", "--space", slug, "--bootstrap-servers", bootstrap);

        assertThat(first.exitCode()).as(first.err()).isZero();
        // the first program also covers inputs already in the log; later ones start now
        assertThat(first.out()).contains("Published program version 1 of Space " + slug)
                .contains("in force from 1970-01-01T00:00:00Z");
        assertThat(second.out()).contains("Published program version 2 of Space " + slug)
                .doesNotContain("1970-01-01");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("program version 2 of 2").contains("\"lesson.finished\"");
    }

    @Test
    void shouldListEveryProblemAndPublishNothingForAnInvalidProgram() throws Exception {
        String slug = space();
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"wallets": [{"key": "points", "name": "Points"}],
                 "rules": [{"key": "a", "event": "Not.Valid", "award": [{"wallet": "gems", "amount": "{{x}} +"}]},
                           {"key": "a", "event": "b.c", "when": "context.x ==", "award": [{"wallet": "points", "amount": 1}]}]}
                """);

        CliRun run = CliRun.perkamo("program", "apply", "--space", slug, "--file", file.toString(),
                "--bootstrap-servers", bootstrap);
        CliRun show = CliRun.perkamo("program", "show", "--space", slug, "--bootstrap-servers", bootstrap);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("rules[0].event", "rules[0].award[0].wallet", "rules[0].award[0].amount",
                "rules[1].key", "rules[1].when", "nothing was published");
        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err()).contains("has no program yet");
    }

    @Test
    void shouldPublishFromAGivenEventTime() throws Exception {
        String slug = space();
        Path file = dir.resolve("dated.yaml");
        Files.writeString(file, "wallets: [{key: points, name: Points}]\n");

        CliRun run = CliRun.perkamo("program", "apply", "--space", slug, "--file", file.toString(),
                "--effective-at", "2026-06-01T00:00:00+02:00", "--bootstrap-servers", bootstrap);
        CliRun bad = CliRun.perkamo("program", "apply", "--space", slug, "--file", file.toString(),
                "--effective-at", "yesterday", "--bootstrap-servers", bootstrap);

        assertThat(run.out()).contains("in force from 2026-05-31T22:00:00Z");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("--effective-at must be an ISO-8601 time");
    }

    @Test
    void shouldShowADiffAndPublishARemovalOnlyWhenAllowed() throws Exception {
        String slug = space();
        Path full = dir.resolve("full.yaml");
        Files.writeString(full, """
                wallets: [{key: points, name: Points}]
                rules:
                  - {key: lesson, event: lesson.finished, award: [{wallet: points, amount: 5}]}
                  - {key: purchase, event: purchase.completed, award: [{wallet: points, amount: 10}]}
                """);
        Path smaller = dir.resolve("smaller.yaml");
        Files.writeString(smaller, """
                wallets: [{key: points, name: Points}]
                rules:
                  - {key: purchase, event: purchase.completed, award: [{wallet: points, amount: 20}]}
                """);
        CliRun.perkamo("program", "apply", "--space", slug, "--file", full.toString(), "--bootstrap-servers", bootstrap);

        CliRun diff = CliRun.perkamo("program", "diff", "--space", slug, "--file", smaller.toString(),
                "--bootstrap-servers", bootstrap);
        CliRun refused = CliRun.perkamo("program", "apply", "--space", slug, "--file", smaller.toString(),
                "--bootstrap-servers", bootstrap);
        CliRun allowed = CliRun.perkamo("program", "apply", "--space", slug, "--file", smaller.toString(),
                "--allow-removals", "--bootstrap-servers", bootstrap);
        CliRun show = CliRun.perkamo("program", "show", "--space", slug, "--bootstrap-servers", bootstrap);

        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("rule `lesson` removed", "rule `purchase` changed", "--allow-removals");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("rule `lesson` removed", "nothing was published", "--allow-removals");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("Published program version 2", "rule `lesson` removed");
        assertThat(show.out()).contains("program version 2 of 2").doesNotContain("lesson.finished");
    }

    @Test
    void shouldCallAnEmptyObjectInvalid() throws Exception {
        Path file = dir.resolve("empty.json");
        Files.writeString(file, "{}");

        CliRun run = CliRun.perkamo("program", "validate", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("wallets").contains("not a valid program");
    }

    @Test
    void shouldValidateWithoutABroker() throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, "wallets: [{key: points, name: Points}]\n");

        CliRun run = CliRun.perkamo("program", "validate", "--file", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("is a valid program");
    }

    private String space() {
        String slug = TestKafka.uniqueSlug("cli-program");
        CliRun.createSpace(slug, "test", 1, bootstrap);
        return slug;
    }
}

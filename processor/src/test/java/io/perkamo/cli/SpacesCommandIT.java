package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.perkamo.testing.TestKafka;

class SpacesCommandIT {
    private final String bootstrap = TestKafka.bootstrapServers();

    @Test
    void shouldCreateASpaceAndPrintItsTopics() {
        String slug = TestKafka.uniqueSlug("cli");

        CliRun run = CliRun.perkamo("spaces", "create", slug, "--environment", "live", "--name", "Acme Shop",
                "--partitions", "2", "--bootstrap-servers", bootstrap);

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Created Space " + slug + " (environment live, name \"Acme Shop\", 2 partitions)")
                .contains("perkamo." + slug + ".events", "perkamo." + slug + ".outcomes",
                        "perkamo." + slug + ".profiles", "perkamo." + slug + ".dlq")
                .containsPattern("perkamo\\." + slug + "\\.profiles +2 partitions +cleanup\\.policy=compact");
    }

    @Test
    void shouldListSpacesAsATable() {
        String slug = TestKafka.uniqueSlug("cli-list");
        CliRun.createSpace(slug, "test", 1, bootstrap);

        CliRun run = CliRun.perkamo("spaces", "list", "--bootstrap-servers", bootstrap);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow())
                .matches("SLUG +ENVIRONMENT +NAME +PARTITIONS +CREATED");
        assertThat(run.out()).containsPattern("(?m)^" + slug + " +test +" + slug + " +1 +\\d{4}-\\d\\d-\\d\\dT");
    }

    @Test
    void shouldFailWithOneClearLineWhenTheSpaceExists() {
        String slug = TestKafka.uniqueSlug("cli-twice");
        CliRun.perkamo("spaces", "create", slug, "--environment", "test", "--partitions", "1",
                "--bootstrap-servers", bootstrap);

        CliRun run = CliRun.perkamo("spaces", "create", slug, "--environment", "test", "--partitions", "1",
                "--bootstrap-servers", bootstrap);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("perkamo: Space '" + slug + "' already exists" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }
}

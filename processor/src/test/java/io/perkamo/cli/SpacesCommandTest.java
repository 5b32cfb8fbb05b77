package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class SpacesCommandTest {

    @Test
    void shouldExplainTheSlugRuleWithoutABroker() {
        CliRun run = CliRun.perkamo("spaces", "create", "Not_Valid", "--environment", "test",
                "--bootstrap-servers", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("perkamo: Invalid Space slug 'Not_Valid': use 1 to 128 characters");
    }

    @Test
    void shouldNameAnUnreachableBrokerInsteadOfHanging() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();

        CliRun run = CliRun.perkamo("spaces", "list", "--bootstrap-servers", "127.0.0.1:" + port);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("Cannot reach Kafka at 127.0.0.1:" + port);
        assertThat((System.nanoTime() - start) / 1_000_000_000L).isLessThan(30);
    }

    @Test
    void shouldRequireTheEnvironment() {
        CliRun run = CliRun.perkamo("spaces", "create", "acme");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--environment");
    }
}

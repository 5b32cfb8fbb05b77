package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class KeysCommandTest {
    @TempDir
    Path home;

    @Test
    void shouldAskForTheMasterKeyBeforeConnecting() {
        CommandLine cl = new CommandLine(new KeysCommand(Map.of("PERKAMO_HOME", home.toString())));

        CliRun run = CliRun.of(cl, "create", "--space", "acme", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("set PERKAMO_MASTER_KEY").contains(home.resolve("master.key").toString());
        assertThat(home.resolve("master.key")).doesNotExist();
    }

    @Test
    void shouldRejectAMalformedMasterKey() {
        CommandLine cl = new CommandLine(new KeysCommand(Map.of("PERKAMO_MASTER_KEY", "short")));

        CliRun run = CliRun.of(cl, "create", "--space", "acme", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("PERKAMO_MASTER_KEY must be the base64 encoding of 32");
    }
}

package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.perkamo.control.keys.MasterKey;
import io.perkamo.topics.TopicsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The scaffolding a new command is made of: a group, the ControlOptions mixin, CliSupport. */
class CliSupportTest {

    @Command(name = "probe", subcommands = Probe.class)
    static final class Group extends CommandGroup {
        Group(Map<String, String> env) {
            super(env);
        }
    }

    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0")
        String what;

        @Override
        public Integer call() {
            return control.execute(() -> {
                switch (what) {
                    case "topics" -> throw new TopicsException("Cannot reach Kafka at somewhere:1");
                    case "unexpected" -> throw new java.io.IOException("disk on fire");
                    case "bootstrap" -> control.out().println(control.bootstrapServers);
                    case "master-key" -> control.out().println(control.masterKey().derive("probe"));
                    default -> throw new IllegalArgumentException("unknown probe " + what);
                }
            });
        }
    }

    private static CliRun run(Map<String, String> env, String... args) {
        return CliRun.of(new CommandLine(new Group(env)), args);
    }

    @Test
    void shouldTurnATopicsExceptionIntoOneLineAndExitCodeOne() {
        CliRun run = run(Map.of(), "probe", "topics");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("perkamo: Cannot reach Kafka at somewhere:1" + System.lineSeparator());
    }

    @Test
    void shouldNameTheTypeOfAnUnexpectedFailure() {
        CliRun run = run(Map.of(), "probe", "unexpected");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("perkamo: java.io.IOException: disk on fire" + System.lineSeparator());
    }

    @Test
    void shouldDefaultToTheLocalBroker() {
        CliRun run = run(Map.of(), "probe", "bootstrap");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().trim()).isEqualTo("localhost:9092");
        assertThat(run(Map.of(), "probe", "bootstrap", "--bootstrap-servers", "kafka:9094").out().trim())
                .isEqualTo("kafka:9094");
    }

    @Test
    void shouldReadTheMasterKeyFromTheGroupsEnvironment() {
        byte[] bytes = new byte[32];
        bytes[0] = 7;
        String base64 = Base64.getEncoder().encodeToString(bytes);

        CliRun run = run(Map.of(MasterKey.ENV, base64), "probe", "master-key");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().trim()).isEqualTo(MasterKey.fromBase64(base64).derive("probe"));
    }
}

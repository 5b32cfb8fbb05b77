package io.perkamo.cli;

import java.io.PrintWriter;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.keys.MasterKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every control-plane command repeats, as a picocli mixin: {@code --bootstrap-servers},
 * the master key's source (PERKAMO_MASTER_KEY, else $PERKAMO_HOME/master.key, never created
 * here), the command's output streams and its error handling. A new command is a class with
 * {@code @Mixin ControlOptions control;} whose {@code call()} is
 * {@code return control.execute(() -> { try (ControlPlane cp = control.open()) { ... } });}.
 */
final class ControlOptions {
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--bootstrap-servers", defaultValue = DEFAULT_BOOTSTRAP, paramLabel = "HOST:PORT",
            description = "Kafka cluster holding the control topics (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    /** Runs the command's body with the shared error handling (see {@link CliSupport#execute}). */
    int execute(CliSupport.Action action) {
        return CliSupport.execute(command, action);
    }

    /** The control plane without the master key: Spaces, programs, listing and revoking keys. */
    ControlPlane open() {
        return ControlPlane.startWithoutMasterKey(bootstrapServers);
    }

    /** The control plane with the master key, read before connecting (a missing key fails at once). */
    ControlPlane openWithMasterKey() {
        MasterKey key = masterKey();
        return ControlPlane.start(bootstrapServers, key);
    }

    MasterKey masterKey() {
        return CliSupport.masterKey(CliSupport.env(command), false);
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }
}

package io.perkamo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import io.perkamo.local.LocalBroker;
import io.perkamo.local.SchemaRegistryServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `perkamo broker`: only the embedded Kafka broker (and the schema-registry endpoint), with
 * local mode's defaults, until Ctrl-C. For runs of several engine instances on one broker.
 */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        description = "Run only the embedded Kafka broker (KRaft, one node) and the schema-registry endpoint,"
                + " as local mode does, until Ctrl-C.")
final class BrokerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "" + LocalBroker.DEFAULT_PORT,
            description = "Kafka client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "" + LocalBroker.DEFAULT_CONTROLLER_PORT,
            description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "" + SchemaRegistryServer.DEFAULT_PORT,
            description = "Schema-registry endpoint port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--no-registry", description = "Do not serve the schema-registry endpoint.")
    boolean noRegistry;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker keeps its data (default: $PERKAMO_HOME/kafka, ~/.perkamo/kafka).")
    Path dataDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        requirePort("--port", port);
        requirePort("--controller-port", controllerPort);
        requirePort("--registry-port", registryPort);
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : CliSupport.home(CliSupport.env(spec)).kafkaDir();
        LocalBroker running;
        try {
            running = LocalBroker.start(dir, port, controllerPort,
                    noRegistry ? OptionalInt.empty() : OptionalInt.of(registryPort));
        } catch (RuntimeException e) {
            CliSupport.printError(spec, e.getMessage() == null ? e.toString() : e.getMessage());
            return 1;
        }
        Thread hook = new Thread(running::close, "perkamo-broker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Kafka broker ready on " + running.bootstrapServers() + " (data: " + running.dataDir() + ")"
                + running.schemaRegistryUrl().map(url -> ", schema registry on " + url).orElse(""));
        out.flush();
        boolean interrupted = false;
        try {
            running.awaitClose();
        } catch (InterruptedException e) {
            interrupted = true; // stop first, with the flag clear, then restore it
        } finally {
            running.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped us
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void requirePort(String option, int value) {
        if (value < 0 || value > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be a port number between 0 and 65535, not " + value);
        }
    }
}

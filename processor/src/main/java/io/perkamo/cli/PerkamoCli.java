package io.perkamo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `perkamo` command: local mode, the control plane and operations, one jar. */
@Command(name = "perkamo",
        mixinStandardHelpOptions = true,
        versionProvider = PerkamoCli.Version.class,
        description = "Self-hostable loyalty engine: the Perkamo v1 API on Kafka Streams.",
        subcommands = {
            RunCommand.class,
            BrokerCommand.class,
            SpacesCommand.class,
            KeysCommand.class,
            ProgramCommand.class,
            ReplayCommand.class,
            ExportCommand.class,
            WebhooksCommand.class,
            UsageCommand.class,
        })
public final class PerkamoCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new PerkamoCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    CliSupport.printError(cmd.getCommandSpec(), e.getMessage() == null ? e.toString() : e.getMessage());
                    return 1;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PerkamoCli.class.getPackage().getImplementationVersion();
            return new String[] {"perkamo " + (v == null ? "dev" : v)};
        }
    }
}

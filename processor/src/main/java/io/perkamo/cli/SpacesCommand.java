package io.perkamo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.kafka.common.KafkaException;
import org.slf4j.LoggerFactory;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.Space;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.local.PerkamoHome;
import io.perkamo.topics.Topics;
import io.perkamo.topics.TopicsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code perkamo spaces create|list}: Spaces on the cluster named by --bootstrap-servers. */
@Command(name = "spaces", description = "Create and list Spaces (tenants).",
        subcommands = {SpacesCommand.Create.class, SpacesCommand.ListSpaces.class, SpacesCommand.SetSettings.class})
final class SpacesCommand implements Runnable {
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    final Map<String, String> env;

    @Spec
    CommandSpec spec;

    SpacesCommand() {
        this(System.getenv());
    }

    /** For in-process use with a given environment (tests). */
    SpacesCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Create a Space and its topics.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        SpacesCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<slug>", description = "lowercase a-z, 0-9 and '-'")
        String slug;
        @Option(names = "--environment", required = true, paramLabel = "test|live")
        String environment;
        @Option(names = "--name", description = "display name (default: the slug)")
        String name;
        @Option(names = "--partitions", description = "partitions of each topic (default: that of the existing"
                + " Spaces, else " + SpaceAdmin.DEFAULT_PARTITIONS + "; never more than the existing Spaces have)")
        Integer partitions;
        @Option(names = "--bootstrap-servers", defaultValue = DEFAULT_BOOTSTRAP)
        String bootstrap;

        @Override
        public Integer call() {
            return execute(spec, parent.env, () -> {
                SpaceAdmin.requireValidSlug(slug);
                try (ControlPlane cp = ControlPlane.startWithoutMasterKey(bootstrap)) {
                    SpaceAdmin admin = new SpaceAdmin(cp);
                    Space s = admin.create(slug, environment, Optional.ofNullable(name),
                            partitions != null ? partitions : admin.defaultPartitions());
                    PrintWriter out = spec.commandLine().getOut();
                    out.printf("Created Space %s (environment %s, name \"%s\", %d partitions)%n", s.slug(),
                            s.environment().id(), s.name(), s.partitions());
                    out.println("Topics:");
                    List<List<String>> rows = new ArrayList<>();
                    Topics.PER_SPACE.forEach(topic -> rows.add(List.of(topic.name(s.slug()),
                            s.partitions() + " partitions", "cleanup.policy=" + topic.cleanupPolicy())));
                    printTable(out, List.of(), rows, "  ");
                    out.flush();
                }
            });
        }
    }

    @Command(name = "list", description = "List the Spaces.")
    static final class ListSpaces implements Callable<Integer> {
        @ParentCommand
        SpacesCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--bootstrap-servers", defaultValue = DEFAULT_BOOTSTRAP)
        String bootstrap;

        @Override
        public Integer call() {
            return execute(spec, parent.env, () -> {
                try (ControlPlane cp = ControlPlane.startWithoutMasterKey(bootstrap)) {
                    PrintWriter out = spec.commandLine().getOut();
                    List<List<String>> rows = new ArrayList<>();
                    for (Space s : cp.spaces()) {
                        rows.add(List.of(s.slug(), s.environment().id(), s.name(), String.valueOf(s.partitions()),
                                s.createdAt().toString()));
                    }
                    if (rows.isEmpty()) {
                        out.println("No Spaces yet: create one with `perkamo spaces create <slug> --environment test`");
                    } else {
                        printTable(out, List.of("SLUG", "ENVIRONMENT", "NAME", "PARTITIONS", "CREATED"), rows, "");
                    }
                    out.flush();
                }
            });
        }
    }

    @Command(name = "set", description = "Change a Space's settings.")
    static final class SetSettings implements Callable<Integer> {
        @ParentCommand
        SpacesCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<slug>")
        String slug;
        @Option(names = "--require-signatures", required = true, arity = "1", paramLabel = "true|false",
                description = "refuse unsigned POST requests (401 signature_required)")
        boolean requireSignatures;
        @Option(names = "--bootstrap-servers", defaultValue = DEFAULT_BOOTSTRAP)
        String bootstrap;

        @Override
        public Integer call() {
            return execute(spec, parent.env, () -> {
                try (ControlPlane cp = ControlPlane.startWithoutMasterKey(bootstrap)) {
                    new SpaceAdmin(cp).setRequireSignatures(slug, requireSignatures);
                    spec.commandLine().getOut().printf("Space %s: signatures %s%n", slug,
                            requireSignatures ? "required on every POST" : "optional (verified when present)");
                }
            });
        }
    }

    // ---- shared by the control-plane commands (spaces, keys)

    interface Action {
        void run() throws Exception;
    }

    /** Runs a command: expected failures become one line on stderr and exit code 1. */
    static int execute(CommandSpec spec, Map<String, String> env, Action action) {
        quietClientLogs(env);
        try {
            action.run();
            return 0;
        } catch (IllegalArgumentException | ControlPlaneException | TopicsException | IllegalStateException
                 | KafkaException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("perkamo: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return 1;
        } catch (Exception e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("perkamo: " + e);
            err.flush();
            return 1;
        }
    }

    /** PERKAMO_MASTER_KEY, else $PERKAMO_HOME/master.key when it exists (never created here). */
    static MasterKey masterKey(Map<String, String> env) {
        String home = env.get("PERKAMO_HOME");
        PerkamoHome perkamoHome = home != null && !home.isBlank()
                ? new PerkamoHome(Path.of(home).toAbsolutePath())
                : PerkamoHome.fromEnvironment();
        return MasterKey.fromEnvironmentOrFile(env, perkamoHome.masterKeyFile(), false);
    }

    /** Kafka clients warn on every failed connection; a CLI says it once, in its own words. */
    private static void quietClientLogs(Map<String, String> env) {
        if (env.containsKey("PERKAMO_KAFKA_LOG_LEVEL")) {
            return;
        }
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger kafka) {
            kafka.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        if (!env.containsKey("PERKAMO_LOG_LEVEL")
                && LoggerFactory.getLogger("io.perkamo.control") instanceof ch.qos.logback.classic.Logger control) {
            control.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static void printTable(PrintWriter out, List<String> header, List<List<String>> rows, String indent) {
        List<List<String>> all = new ArrayList<>();
        if (!header.isEmpty()) {
            all.add(header);
        }
        all.addAll(rows);
        int columns = all.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : all) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}

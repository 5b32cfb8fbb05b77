package io.perkamo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.Space;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perkamo spaces create|list|set}: Spaces on the cluster named by --bootstrap-servers. */
@Command(name = "spaces", description = "Create and list Spaces (tenants).",
        subcommands = {SpacesCommand.Create.class, SpacesCommand.ListSpaces.class, SpacesCommand.SetSettings.class})
final class SpacesCommand extends CommandGroup {

    SpacesCommand() {
        this(System.getenv());
    }

    /** For in-process use with a given environment (tests). */
    SpacesCommand(Map<String, String> env) {
        super(env);
    }

    @Command(name = "create", description = "Create a Space and its topics.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<slug>", description = "lowercase a-z, 0-9 and '-'")
        String slug;
        @Option(names = "--environment", required = true, paramLabel = "test|live")
        String environment;
        @Option(names = "--name", description = "display name (default: the slug)")
        String name;
        @Option(names = "--partitions", description = "partitions of each topic (default: that of the existing"
                + " Spaces, else " + SpaceAdmin.DEFAULT_PARTITIONS + "; never more than the existing Spaces have)")
        Integer partitions;

        @Override
        public Integer call() {
            return control.execute(() -> {
                SpaceAdmin.requireValidSlug(slug);
                try (ControlPlane cp = control.open()) {
                    SpaceAdmin admin = new SpaceAdmin(cp);
                    Space s = admin.create(slug, environment, Optional.ofNullable(name),
                            partitions != null ? partitions : admin.defaultPartitions());
                    PrintWriter out = control.out();
                    out.printf("Created Space %s (environment %s, name \"%s\", %d partitions)%n", s.slug(),
                            s.environment().id(), s.name(), s.partitions());
                    out.println("Topics:");
                    List<List<String>> rows = new ArrayList<>();
                    Topics.PER_SPACE.forEach(topic -> rows.add(List.of(topic.name(s.slug()),
                            s.partitions() + " partitions", "cleanup.policy=" + topic.cleanupPolicy())));
                    Tables.print(out, List.of(), rows, "  ");
                    out.flush();
                }
            });
        }
    }

    @Command(name = "list", description = "List the Spaces.")
    static final class ListSpaces implements Callable<Integer> {
        @Mixin
        ControlOptions control;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.open()) {
                    PrintWriter out = control.out();
                    List<List<String>> rows = new ArrayList<>();
                    for (Space s : cp.spaces()) {
                        rows.add(List.of(s.slug(), s.environment().id(), s.name(), String.valueOf(s.partitions()),
                                s.createdAt().toString()));
                    }
                    if (rows.isEmpty()) {
                        out.println("No Spaces yet: create one with `perkamo spaces create <slug> --environment test`");
                    } else {
                        Tables.print(out, List.of("SLUG", "ENVIRONMENT", "NAME", "PARTITIONS", "CREATED"), rows, "");
                    }
                    out.flush();
                }
            });
        }
    }

    @Command(name = "set", description = "Change a Space's settings.")
    static final class SetSettings implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<slug>")
        String slug;
        @Option(names = "--require-signatures", required = true, arity = "1", paramLabel = "true|false",
                description = "refuse unsigned POST requests (401 signature_required)")
        boolean requireSignatures;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.open()) {
                    new SpaceAdmin(cp).setRequireSignatures(slug, requireSignatures);
                    control.out().printf("Space %s: signatures %s%n", slug,
                            requireSignatures ? "required on every POST" : "optional (verified when present)");
                }
            });
        }
    }
}

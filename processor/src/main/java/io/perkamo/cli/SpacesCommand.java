package io.perkamo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.Space;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.SpaceRateLimits;
import io.perkamo.control.UnknownSpaceException;
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

    @Command(name = "set", description = "Change a Space's settings: signatures, rate limits.")
    static final class SetSettings implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<slug>")
        String slug;
        @Option(names = "--require-signatures", arity = "1", paramLabel = "true|false",
                description = "refuse unsigned POST requests (401 signature_required)")
        Boolean requireSignatures;
        @Option(names = "--rate-limit", paramLabel = "<who>=<n>|default",
                description = "requests per minute per server_key, browser_key or browser_user (per instance);"
                        + " 'default' goes back to the server's default; repeatable")
        List<String> rateLimits = new ArrayList<>();

        @Override
        public Integer call() {
            return control.execute(() -> {
                if (requireSignatures == null && rateLimits.isEmpty()) {
                    throw new IllegalArgumentException("nothing to set: give --require-signatures and/or --rate-limit");
                }
                try (ControlPlane cp = control.open()) {
                    SpaceAdmin admin = new SpaceAdmin(cp);
                    if (requireSignatures != null) {
                        admin.setRequireSignatures(slug, requireSignatures);
                        control.out().printf("Space %s: signatures %s%n", slug,
                                requireSignatures ? "required on every POST" : "optional (verified when present)");
                    }
                    if (!rateLimits.isEmpty()) {
                        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
                        SpaceRateLimits now = cp.space(slug).orElseThrow(() -> new UnknownSpaceException(slug))
                                .settings().rateLimits();
                        SpaceRateLimits next = withChanges(now, rateLimits);
                        admin.setRateLimits(slug, next);
                        control.out().printf("Space %s: rate limits per minute (per instance): server_key %s,"
                                + " browser_key %s, browser_user %s%n", slug, show(next.serverKey()),
                                show(next.browserKey()), show(next.browserUser()));
                    }
                }
            });
        }

        static SpaceRateLimits withChanges(SpaceRateLimits now, List<String> changes) {
            OptionalInt server = now.serverKey();
            OptionalInt browser = now.browserKey();
            OptionalInt user = now.browserUser();
            for (String change : changes) {
                int eq = change.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--rate-limit takes <who>=<n> or <who>=default, e.g."
                            + " browser_user=120");
                }
                String who = change.substring(0, eq).trim().replace('-', '_');
                OptionalInt value = perMinute(change.substring(eq + 1).trim());
                switch (who) {
                    case "server_key" -> server = value;
                    case "browser_key" -> browser = value;
                    case "browser_user" -> user = value;
                    default -> throw new IllegalArgumentException("--rate-limit: " + who
                            + " is not server_key, browser_key or browser_user");
                }
            }
            return new SpaceRateLimits(server, browser, user);
        }

        private static OptionalInt perMinute(String text) {
            if (text.equals("default")) {
                return OptionalInt.empty();
            }
            try {
                int n = Integer.parseInt(text);
                if (n >= 1) {
                    return OptionalInt.of(n);
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new IllegalArgumentException("--rate-limit: " + text
                    + " is not a number of requests per minute (1 or more) or 'default'");
        }

        private static String show(OptionalInt v) {
            return v.isPresent() ? Integer.toString(v.getAsInt()) : "default";
        }
    }
}

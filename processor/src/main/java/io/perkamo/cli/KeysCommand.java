package io.perkamo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.CreatedKey;
import io.perkamo.control.UnknownSpaceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perkamo keys create|list|revoke}: API keys of a Space. */
@Command(name = "keys", description = "Create, list and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand extends CommandGroup {

    KeysCommand() {
        this(System.getenv());
    }

    /** For in-process use with a given environment (tests). */
    KeysCommand(Map<String, String> env) {
        super(env);
    }

    @Command(name = "create", description = "Create a key; it is shown once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;
        @Option(names = "--kind", defaultValue = "server", paramLabel = "server|browser")
        String kind;
        @Option(names = "--scopes", split = ",", paramLabel = "scope",
                description = "default: all (events:write, profile:read, rewards:redeem, admin:config)")
        List<String> scopes = new ArrayList<>();

        @Override
        public Integer call() {
            return control.execute(() -> {
                ApiKeyRecord.Kind k = ApiKeyRecord.Kind.parse(kind).orElseThrow(() -> new IllegalArgumentException(
                        "Invalid --kind '" + kind + "': use server or browser"));
                try (ControlPlane cp = control.openWithMasterKey()) {
                    CreatedKey created = new ApiKeys(cp).create(space, k, new LinkedHashSet<>(scopes));
                    PrintWriter out = control.out();
                    out.printf("Created %s key %s for Space %s (scopes: %s)%n", k.id(), created.id(), space,
                            String.join(",", new TreeSet<>(created.record().scopes())));
                    out.println();
                    out.println("    " + created.plaintext());
                    out.println();
                    out.println("Store it now: this key cannot be shown again.");
                    out.flush();
                }
            });
        }
    }

    @Command(name = "list", description = "List a Space's keys (never the keys themselves).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.open()) {
                    if (cp.space(space).isEmpty()) {
                        throw new UnknownSpaceException(space);
                    }
                    PrintWriter out = control.out();
                    List<List<String>> rows = new ArrayList<>();
                    for (ApiKeyRecord r : cp.keys(space)) {
                        rows.add(List.of(r.id(), r.kind().id(), r.prefix(), String.join(",", new TreeSet<>(r.scopes())),
                                r.createdAt().toString(), r.revokedAt().map(Object::toString).orElse("-")));
                    }
                    if (rows.isEmpty()) {
                        out.println("No keys in Space " + space + ": create one with `perkamo keys create --space "
                                + space + "`");
                    } else {
                        Tables.print(out, List.of("ID", "KIND", "PREFIX", "SCOPES", "CREATED", "REVOKED"), rows, "");
                    }
                    out.flush();
                }
            });
        }
    }

    @Command(name = "revoke", description = "Revoke a key: requests with it are refused from then on.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<key-id>")
        String keyId;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.open()) {
                    ApiKeyRecord r = cp.key(keyId).orElseThrow(() -> new ControlPlaneException(
                            "Key '" + keyId + "' does not exist"));
                    new ApiKeys(cp).revoke(keyId);
                    PrintWriter out = control.out();
                    out.printf("Revoked %s key %s (%s) of Space %s%n", r.kind().id(), r.id(), r.prefix(), r.space());
                    out.flush();
                }
            });
        }
    }
}

package io.perkamo.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.CreatedKey;
import io.perkamo.control.Space;
import io.perkamo.control.UnknownSpaceException;
import io.perkamo.control.keys.BrowserPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perkamo keys create|list|revoke|rotate|policy}: the keys of a Space. */
@Command(name = "keys", description = "Create, list, revoke and rotate keys; set browser key policies.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class,
            KeysCommand.Rotate.class, KeysCommand.Policy.class})
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
        @Option(names = "--kind", defaultValue = "server", paramLabel = "server|browser|signing",
                description = "server (sk_, default), browser (pk_, public) or signing (signs client tokens of a"
                        + " browser key: give --browser-key)")
        String kind;
        @Option(names = "--browser-key", paramLabel = "<key-id>",
                description = "For --kind signing: the browser key whose policy the signed tokens get.")
        String browserKey;
        @Option(names = "--scopes", split = ",", paramLabel = "scope",
                description = "default: all (server: events:write, profile:read, rewards:redeem, admin:config;"
                        + " browser and signing: events:write, profile:read, stream:read)")
        List<String> scopes = new ArrayList<>();

        @Override
        public Integer call() {
            return control.execute(() -> {
                ApiKeyRecord.Kind k = ApiKeyRecord.Kind.parse(kind).orElseThrow(() -> new IllegalArgumentException(
                        "Invalid --kind '" + kind + "': use server, browser or signing"));
                if (k == ApiKeyRecord.Kind.SIGNING && browserKey == null) {
                    throw new IllegalArgumentException("--kind signing needs --browser-key <key-id>");
                }
                try (ControlPlane cp = control.openWithMasterKey()) {
                    CreatedKey created;
                    if (k == ApiKeyRecord.Kind.SIGNING) {
                        if (cp.key(browserKey).filter(b -> b.space().equals(space)).isEmpty()) {
                            throw new ControlPlaneException("Space " + space + " has no key " + browserKey);
                        }
                        created = new ApiKeys(cp).createSigningKey(browserKey, new LinkedHashSet<>(scopes));
                    } else {
                        created = new ApiKeys(cp).create(space, k, new LinkedHashSet<>(scopes));
                    }
                    printCreated(control.out(), created, space);
                }
            });
        }
    }

    /** A new key, shown this once. */
    static void printCreated(PrintWriter out, CreatedKey created, String space) {
        ApiKeyRecord r = created.record();
        out.printf("Created %s key %s for Space %s (scopes: %s)%n", r.kind().id(), created.id(), space,
                String.join(",", new TreeSet<>(r.scopes())));
        out.println();
        out.println("    " + created.plaintext());
        out.println();
        if (r.kind() == ApiKeyRecord.Kind.SIGNING) {
            out.println("Sign client tokens (HS256, the secret's UTF-8 bytes as the key) with kid " + created.id()
                    + "; they get the policy of browser key " + r.browserKeyId().orElse("?") + ".");
        }
        out.println("Store it now: this key cannot be shown again.");
        out.flush();
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
                    Space s = cp.space(space).orElseThrow(() -> new UnknownSpaceException(space));
                    PrintWriter out = control.out();
                    Instant now = Instant.now();
                    List<List<String>> rows = new ArrayList<>();
                    List<List<String>> policies = new ArrayList<>();
                    for (ApiKeyRecord r : cp.keys(space)) {
                        rows.add(List.of(r.id(), r.kind().id(), r.prefix(), String.join(",", new TreeSet<>(r.scopes())),
                                r.createdAt().toString(), cp.lastUsed(r.id()).map(Object::toString).orElse("-"),
                                r.expiresAt().map(Object::toString).orElse("-"), r.status(now),
                                r.revokedAt().map(Object::toString).orElse("-")));
                        if (r.kind() == ApiKeyRecord.Kind.BROWSER) {
                            BrowserPolicy p = r.effectivePolicy(s.environment());
                            policies.add(List.of(r.id(), origins(p), String.join(",", p.allowedEvents()),
                                    p.maxTtlSeconds() + " s", r.browserPolicy().isPresent() ? "set"
                                            : "default (" + s.environment().id() + ")"));
                        } else if (r.kind() == ApiKeyRecord.Kind.SIGNING) {
                            policies.add(List.of(r.id(), "signs for " + r.browserKeyId().orElse("?"), "", "", ""));
                        }
                    }
                    if (rows.isEmpty()) {
                        out.println("No keys in Space " + space + ": create one with `perkamo keys create --space "
                                + space + "`");
                    } else {
                        Tables.print(out, List.of("ID", "KIND", "PREFIX", "SCOPES", "CREATED", "LAST-USED", "EXPIRES",
                                "STATUS", "REVOKED"), rows, "");
                        if (!policies.isEmpty()) {
                            out.println();
                            out.println("Browser key policies and signing keys:");
                            Tables.print(out, List.of("KEY", "ORIGINS", "EVENTS", "MAX-TTL", "POLICY"), policies, "  ");
                        }
                        out.println();
                        out.println("LAST-USED is approximate: instances record it at most once a minute per key.");
                    }
                    out.flush();
                }
            });
        }
    }

    private static String origins(BrowserPolicy p) {
        return p.allowedOrigins().isEmpty() ? "none" : String.join(",", p.allowedOrigins());
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

    @Command(name = "rotate", description = "Create a successor of a key (shown once); the old key keeps working"
            + " until the time chosen, so deployments can switch without downtime.")
    static final class Rotate implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<key-id>")
        String keyId;
        @Option(names = "--old-valid-for", paramLabel = "DURATION", defaultValue = "24h",
                description = "How long the old key keeps working: 24h, 30m, 0s for not at all (default: ${DEFAULT-VALUE}).")
        String validFor;
        @Option(names = "--old-valid-until", paramLabel = "TIME",
                description = "Instead of --old-valid-for: the time the old key stops working (2026-07-01T00:00:00Z).")
        String validUntil;

        @Override
        public Integer call() {
            return control.execute(() -> {
                Instant until = validUntil != null ? parseTime(validUntil) : Instant.now().plus(Durations.parse(validFor));
                try (ControlPlane cp = control.openWithMasterKey()) {
                    ApiKeys.Rotated rotated = new ApiKeys(cp).rotate(keyId, until);
                    PrintWriter out = control.out();
                    printCreated(out, rotated.created(), rotated.old().space());
                    out.printf("The old key %s (%s) keeps working until %s.%n", rotated.old().id(),
                            rotated.old().prefix(), rotated.old().expiresAt().map(Object::toString).orElse("?"));
                    out.flush();
                }
            });
        }
    }

    @Command(name = "policy", description = "Set what a browser key may do: origins, events, token lifetime.")
    static final class Policy implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<key-id>")
        String keyId;
        @Option(names = "--allowed-origins", split = ",", paramLabel = "origin",
                description = "Pages allowed to use the key: https://shop.example, http://localhost:* (any port),"
                        + " or none.")
        List<String> origins;
        @Option(names = "--allowed-events", split = ",", paramLabel = "event",
                description = "Event keys its tokens may send, or * for all.")
        List<String> events;
        @Option(names = "--max-ttl", paramLabel = "DURATION",
                description = "Longest lifetime of its tokens, up to 30m (also the default lifetime).")
        String maxTtl;
        @Option(names = "--reset", description = "Back to the default of the Space's environment (test: local pages,"
                + " every event; live: no origin).")
        boolean reset;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.open()) {
                    ApiKeyRecord k = cp.key(keyId).orElseThrow(() -> new ControlPlaneException(
                            "Key '" + keyId + "' does not exist"));
                    Space s = cp.space(k.space()).orElseThrow(() -> new UnknownSpaceException(k.space()));
                    Optional<BrowserPolicy> policy = Optional.empty();
                    if (!reset) {
                        if (origins == null && events == null && maxTtl == null) {
                            throw new IllegalArgumentException("Give --allowed-origins, --allowed-events, --max-ttl"
                                    + " or --reset");
                        }
                        BrowserPolicy now = k.effectivePolicy(s.environment());
                        List<String> o = origins == null ? now.allowedOrigins()
                                : origins.equals(List.of("none")) ? List.of() : origins;
                        long ttl = maxTtl == null ? now.maxTtlSeconds() : Durations.parse(maxTtl).toSeconds();
                        if (ttl < 1 || ttl > BrowserPolicy.MAX_TOKEN_TTL_SECONDS) {
                            throw new IllegalArgumentException("--max-ttl must be 1s to 30m");
                        }
                        policy = Optional.of(new BrowserPolicy(o, events == null ? now.allowedEvents() : events,
                                (int) ttl));
                    }
                    ApiKeyRecord updated = new ApiKeys(cp).setBrowserPolicy(keyId, policy);
                    BrowserPolicy p = updated.effectivePolicy(s.environment());
                    PrintWriter out = control.out();
                    out.printf("Browser key %s (%s) of Space %s%s:%n", updated.id(), updated.prefix(), s.slug(),
                            updated.browserPolicy().isEmpty() ? ", the " + s.environment().id() + " default" : "");
                    out.println("  origins  " + origins(p));
                    out.println("  events   " + String.join(",", p.allowedEvents()));
                    out.println("  max TTL  " + p.maxTtlSeconds() + " s");
                    out.flush();
                }
            });
        }
    }

    private static Instant parseTime(String text) {
        try {
            return java.time.OffsetDateTime.parse(text.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text + "' (use 2026-07-01T00:00:00Z)");
        }
    }
}

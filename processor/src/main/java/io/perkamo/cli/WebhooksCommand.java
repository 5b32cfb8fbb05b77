package io.perkamo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.UnknownSpaceException;
import io.perkamo.control.WebhookEndpoint;
import io.perkamo.control.WebhookEndpoints;
import io.perkamo.topics.WebhookDelivery;
import io.perkamo.webhooks.DeliveryLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perkamo webhooks add|list|remove|enable|disable|rotate-secret|deliveries|resend}. */
@Command(name = "webhooks", description = "Webhook endpoints of a Space and their deliveries.",
        subcommands = {WebhooksCommand.Add.class, WebhooksCommand.ListEndpoints.class, WebhooksCommand.Remove.class,
            WebhooksCommand.Enable.class, WebhooksCommand.Disable.class, WebhooksCommand.RotateSecret.class,
            WebhooksCommand.Deliveries.class, WebhooksCommand.Resend.class})
final class WebhooksCommand extends CommandGroup {

    WebhooksCommand() {
        this(System.getenv());
    }

    /** For in-process use with a given environment (tests). */
    WebhooksCommand(Map<String, String> env) {
        super(env);
    }

    @Command(name = "add", description = "Add an endpoint; its signing secret is shown once.")
    static final class Add implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;
        @Option(names = "--url", required = true, paramLabel = "URL", description = "http(s) URL to POST to")
        String url;
        @Option(names = "--events", split = ",", paramLabel = "type",
                description = "event keys (reward.redeemed, reward.rejected for redemptions); default: all")
        List<String> events = new ArrayList<>();

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.openWithMasterKey()) {
                    WebhookEndpoints.Created created = new WebhookEndpoints(cp).create(space, url, events);
                    PrintWriter out = control.out();
                    WebhookEndpoint e = created.endpoint();
                    out.printf("Added webhook endpoint %s for Space %s: %s (events: %s)%n", e.id(), space, e.url(),
                            String.join(",", e.events()));
                    out.println();
                    out.println("    " + created.secret());
                    out.println();
                    out.println("Store the signing secret now: it cannot be shown again (rotate-secret makes a new one).");
                    out.flush();
                }
            });
        }
    }

    @Command(name = "list", description = "List a Space's endpoints (never their secrets).")
    static final class ListEndpoints implements Callable<Integer> {
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
                    for (WebhookEndpoint e : cp.webhooks(space)) {
                        rows.add(List.of(e.id(), e.url(), String.join(",", e.events()),
                                e.enabled() ? "yes" : "no" + e.disabledReason().map(r -> " (" + r + ")").orElse(""),
                                e.createdAt().toString()));
                    }
                    if (rows.isEmpty()) {
                        out.println("No webhook endpoints in Space " + space + ": add one with `perkamo webhooks add"
                                + " --space " + space + " --url URL`");
                    } else {
                        Tables.print(out, List.of("ID", "URL", "EVENTS", "ENABLED", "CREATED"), rows, "");
                    }
                    out.flush();
                }
            });
        }
    }

    @Command(name = "remove", description = "Remove an endpoint: nothing more is sent to it.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<endpoint-id>")
        String id;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.open()) {
                    new WebhookEndpoints(cp).remove(id);
                    control.out().printf("Removed webhook endpoint %s%n", id);
                    control.out().flush();
                }
            });
        }
    }

    /** enable and disable: the same update of the endpoint's one flag. */
    private static int setEnabled(ControlOptions control, String id, boolean enabled) {
        return control.execute(() -> {
            try (ControlPlane cp = control.open()) {
                new WebhookEndpoints(cp).update(id, Optional.empty(), Optional.empty(), Optional.of(enabled));
                control.out().printf("%s webhook endpoint %s%n", enabled ? "Enabled" : "Disabled", id);
                control.out().flush();
            }
        });
    }

    @Command(name = "enable", description = "Enable an endpoint (one disabled by an operator or by HTTP 410).")
    static final class Enable implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<endpoint-id>")
        String id;

        @Override
        public Integer call() {
            return setEnabled(control, id, true);
        }
    }

    @Command(name = "disable", description = "Disable an endpoint: no new deliveries, waiting ones fail.")
    static final class Disable implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<endpoint-id>")
        String id;

        @Override
        public Integer call() {
            return setEnabled(control, id, false);
        }
    }

    @Command(name = "rotate-secret", description = "Give an endpoint a new signing secret, shown once.")
    static final class RotateSecret implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Parameters(index = "0", paramLabel = "<endpoint-id>")
        String id;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.openWithMasterKey()) {
                    WebhookEndpoints.Created rotated = new WebhookEndpoints(cp).rotateSecret(id);
                    PrintWriter out = control.out();
                    out.printf("New signing secret of webhook endpoint %s (the old one no longer signs):%n", id);
                    out.println();
                    out.println("    " + rotated.secret());
                    out.println();
                    out.println("Store it now: it cannot be shown again.");
                    out.flush();
                }
            });
        }
    }

    @Command(name = "deliveries", description = "Recent deliveries of a Space, newest first.")
    static final class Deliveries implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;
        @Option(names = "--endpoint", paramLabel = "<endpoint-id>")
        String endpoint;
        @Option(names = "--status", paramLabel = "pending|retrying|succeeded|failed")
        String status;
        @Option(names = "--limit", defaultValue = "50", paramLabel = "N")
        int limit;

        @Override
        public Integer call() {
            return control.execute(() -> {
                Optional<WebhookDelivery.Status> wanted = Optional.ofNullable(status).map(s -> WebhookDelivery.Status
                        .parse(s).orElseThrow(() -> new IllegalArgumentException("Invalid --status '" + s
                                + "': use pending, retrying, succeeded or failed")));
                try (ControlPlane cp = control.open(); DeliveryLog log = new DeliveryLog(control.bootstrapServers)) {
                    if (cp.space(space).isEmpty()) {
                        throw new UnknownSpaceException(space);
                    }
                    List<List<String>> rows = new ArrayList<>();
                    for (WebhookDelivery d : log.recent(new DeliveryLog.Query(space, Optional.ofNullable(endpoint),
                            wanted, limit))) {
                        rows.add(List.of(d.deliveryId(), d.endpointId(), d.type(), d.status().wire(),
                                Integer.toString(d.attempt()), d.lastStatusCode().map(String::valueOf).orElse("-"),
                                d.lastDurationMs().map(ms -> ms + "ms").orElse("-"),
                                d.nextAttemptAt().map(Object::toString).orElse("-"), d.lastError().orElse("-")));
                    }
                    PrintWriter out = control.out();
                    if (rows.isEmpty()) {
                        out.println("No deliveries in Space " + space);
                    } else {
                        Tables.print(out, List.of("DELIVERY", "ENDPOINT", "TYPE", "STATUS", "ATTEMPTS", "CODE",
                                "DURATION", "NEXT ATTEMPT", "LAST ERROR"), rows, "");
                    }
                    out.flush();
                }
            });
        }
    }

    @Command(name = "resend", description = "Send a finished delivery (succeeded or failed) again, same delivery id.")
    static final class Resend implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;
        @Parameters(index = "0", paramLabel = "<delivery-id>")
        String id;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (DeliveryLog log = new DeliveryLog(control.bootstrapServers)) {
                    DeliveryLog.Resend r = log.resend(space, id);
                    if (r instanceof DeliveryLog.NotFound) {
                        throw new IllegalArgumentException("No delivery " + id + " in the delivery log of Space "
                                + space);
                    }
                    if (r instanceof DeliveryLog.NotFinished nf) {
                        throw new IllegalArgumentException("Delivery " + id + " is still " + nf.delivery().status()
                                .wire() + ": it goes out on its own");
                    }
                    if (r instanceof DeliveryLog.NoPayload) {
                        throw new IllegalArgumentException("The payload of delivery " + id
                                + " is no longer in the delivery log");
                    }
                    control.out().printf("Resend of %s queued (attempt %d comes next)%n", id,
                            ((DeliveryLog.Resent) r).delivery().attempt() + 1);
                    control.out().flush();
                }
            });
        }
    }
}

package io.perkamo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.keys.OperatorToken;
import io.perkamo.local.DemoInfo;
import io.perkamo.local.DemoSpace;
import io.perkamo.local.LocalBroker;
import io.perkamo.local.PerkamoHome;
import io.perkamo.node.PerkamoNode;
import io.perkamo.webhooks.WebhookSettings;
import io.perkamo.topics.OutputFormat;
import io.perkamo.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `perkamo run`: the whole system. Without --bootstrap-servers, local mode: a real Kafka
 * broker and a schema-registry endpoint in this JVM, data under $PERKAMO_HOME, the demo
 * Space provisioned. With it, one instance against that cluster (instances with the same
 * application id share the work).
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = "Run Perkamo: processor and HTTP API (and, without --bootstrap-servers, an embedded Kafka"
                + " broker, a schema-registry endpoint and the demo Space).")
final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of the embedded broker.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry (local mode: the embedded one).")
    String schemaRegistryUrl;

    @Option(names = "--port", defaultValue = "4001", description = "HTTP API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--advertised-host", defaultValue = "localhost",
            description = "Host other instances reach this one's API on, for forwarded reads (default: ${DEFAULT-VALUE}).")
    String advertisedHost;

    @Option(names = "--kafka-port", defaultValue = "9092",
            description = "Local mode: the embedded broker's port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093",
            description = "Local mode: the embedded KRaft controller's port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "Local mode: the schema-registry endpoint's port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--output-format", defaultValue = "json",
            description = "Outcomes and profiles as json or avro (Confluent wire format) (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    @Option(names = "--demo", description = "Provision the demo Space demo-test (always on in local mode).")
    boolean demo;

    @Option(names = "--application-id", defaultValue = "perkamo",
            description = "Kafka Streams application id; instances sharing it share the work (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Streams state (default: $PERKAMO_HOME/streams/<application-id>-<port>).")
    Path stateDir;

    @Option(names = "--dedup-retention", defaultValue = "30d",
            description = "How long (event time) a transaction_id is remembered: 30d, 12h, PT90M (default: ${DEFAULT-VALUE}).")
    String dedupRetention;

    @Option(names = "--ingest-timeout", defaultValue = "5s",
            description = "How long the API waits for a decision before 503 processing_timeout (default: ${DEFAULT-VALUE}).")
    String ingestTimeout;

    @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams setting for this instance, e.g. consumer.session.timeout.ms=6000 (repeatable).")
    Map<String, String> streamsProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The base URL browsers and apps reach the API on: browser tokens are issued for"
                    + " <URL>/v1/client; the same on every instance (default: http://localhost:<port>).")
    String publicUrl;
    @Option(names = "--webhook-retry-schedule", paramLabel = "PAUSES",
            description = "Pauses between webhook attempts, comma-separated (default: 5s,1m,5m,30m,2h,5h,10h,10h).")
    String webhookRetrySchedule;
    @Option(names = "--webhook-concurrency", paramLabel = "N",
            description = "Webhook requests in flight to one endpoint at once (default: "
                    + WebhookSettings.DEFAULT_IN_FLIGHT + ").")
    Integer webhookConcurrency;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> env = CliSupport.env(spec);
        PerkamoHome home = CliSupport.home(env);
        OutputFormat format = parseFormat(outputFormat);
        boolean local = bootstrapServers == null || bootstrapServers.isBlank();

        Resources resources = new Resources();
        Thread hook = new Thread(resources::close, "perkamo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String bootstrap = bootstrapServers;
            Optional<String> registryUrl = Optional.ofNullable(schemaRegistryUrl);
            if (local) {
                LocalBroker broker = resources.add(LocalBroker.start(home.kafkaDir(), kafkaPort, controllerPort,
                        registryUrl.isPresent() ? OptionalInt.empty() : OptionalInt.of(registryPort)));
                bootstrap = broker.bootstrapServers();
                registryUrl = registryUrl.or(broker::schemaRegistryUrl);
            }
            MasterKey master = CliSupport.masterKey(env, true);
            Path state = stateDir != null ? stateDir
                    : home.root().resolve("streams").resolve(applicationId + "-" + port);
            OperatorToken.Resolved operator = OperatorToken.fromEnvironmentOrFile(env, home.operatorTokenFile());
            PerkamoNode node = resources.add(PerkamoNode.start(new PerkamoNode.Settings(bootstrap, registryUrl, port,
                    advertisedHost, applicationId, state, threads, format, Durations.parse(dedupRetention),
                    Durations.parse(ingestTimeout), master, Map.copyOf(streamsProperties),
                    Optional.ofNullable(publicUrl), WebhookSettings.DEFAULTS).withWebhooks(webhookSettings()),
                    Optional.of(operator.token())));
            Optional<DemoInfo> demoInfo = Optional.empty();
            if (local || demo) {
                demoInfo = Optional.of(DemoSpace.provision(node.control(),
                        Optional.ofNullable(env.get(DemoSpace.DEV_SERVER_KEY_ENV)).filter(k -> !k.isBlank()),
                        DemoSpace.program()));
            }
            node.awaitReady(Duration.ofMinutes(2));
            printReady(out, local, bootstrap, registryUrl, home, demoInfo, started, operator);
            resources.awaitStop();
            return 0;
        } finally {
            resources.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is what stopped us
            }
        }
    }

    private void printReady(PrintWriter out, boolean local, String bootstrap, Optional<String> registryUrl,
                            PerkamoHome home, Optional<DemoInfo> demo, long started, OperatorToken.Resolved operator) {
        String api = "http://localhost:" + port;
        out.printf("%nPerkamo is ready (%s, %.1f s)%n", local ? "local mode" : "cluster " + bootstrap,
                (System.nanoTime() - started) / 1e9);
        out.printf("  API          %s   (health: %s/health/ready, metrics: %s/metrics)%n", api, api, api);
        out.printf("  Console      %s/console   (%s)%n", api, operator.generated()
                .map(t -> "operator token " + t + ": shown once, stored hashed in " + operator.source())
                .orElse("operator token: " + (operator.source().equals(OperatorToken.ENV) ? "$" + OperatorToken.ENV
                        : "printed at the first start; delete " + operator.source() + " for a new one")));
        out.printf("  Kafka        %s%n", bootstrap);
        registryUrl.ifPresent(url -> out.printf("  Registry     %s%n", url));
        if (local) {
            out.printf("  Data         %s%n", home.root());
        }
        demo.ifPresent(d -> {
            String events = Topics.EVENTS.name(d.space().slug());
            out.printf("  Space        %s (%s)%n", d.space().slug(), d.space().environment().id());
            out.printf("  Server key   %s%n", d.serverKey());
            out.printf("  Browser key  %s%n", d.browserKey());
            out.printf("%nTry it:%n");
            out.printf("  curl -s %s/v1/events -H 'x-perkamo-api-key: %s' -H 'content-type: application/json' \\%n"
                    + "    -d '{\"user_id\":\"alice\",\"event\":\"purchase.completed\",\"transaction_id\":\"order-1\","
                    + "\"context\":{\"amount\":12900,\"currency\":\"CZK\"}}'%n", api, d.serverKey());
            out.printf("  echo 'alice:{\"user_id\":\"alice\",\"event\":\"lesson.finished\",\"transaction_id\":\"lesson-1\"}'"
                    + " | kcat -P -b %s -t %s -K:%n", bootstrap, events);
            out.printf("  kcat -C -b %s -t %s -e -q%n", bootstrap, Topics.PROFILES.name(d.space().slug()));
        });
        out.printf("%nCtrl-C stops everything.%n");
        out.flush();
    }

    private WebhookSettings webhookSettings() {
        WebhookSettings settings = WebhookSettings.DEFAULTS;
        if (webhookConcurrency != null) {
            settings = settings.withLimits(webhookConcurrency, settings.maxWaitingPerEndpoint());
        }
        if (webhookRetrySchedule == null || webhookRetrySchedule.isBlank()) {
            return settings;
        }
        return settings.withRetrySchedule(java.util.Arrays.stream(webhookRetrySchedule.split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).map(Durations::parse).toList());
    }

    private static OutputFormat parseFormat(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> OutputFormat.JSON;
            case "avro" -> OutputFormat.AVRO;
            default -> throw new IllegalArgumentException("--output-format must be json or avro, not " + value);
        };
    }


    /** What this run started, stopped in reverse order exactly once (Ctrl-C or an error). */
    private static final class Resources {
        private final java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();
        private final CountDownLatch stop = new CountDownLatch(1);

        synchronized <T extends AutoCloseable> T add(T resource) {
            started.push(resource);
            return resource;
        }

        void awaitStop() throws InterruptedException {
            stop.await();
        }

        synchronized void close() {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    System.err.println("perkamo: while stopping: " + e.getMessage());
                }
            }
            stop.countDown();
        }
    }
}

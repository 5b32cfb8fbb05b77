package io.perkamo.node;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.perkamo.api.ApiServer;
import io.perkamo.api.Readiness;
import io.perkamo.api.SchemasInputValidator;
import io.perkamo.console.Console;
import io.perkamo.control.BrowserTokens;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.keys.OperatorToken;
import io.perkamo.control.Space;
import io.perkamo.schemas.registry.HttpSchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.stream.PerkamoStreams;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.OutcomeFeed;
import io.perkamo.topics.OutputFormat;
import io.perkamo.topics.TopicAdmin;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WireFormats;
import io.perkamo.usage.UsageStreams;
import io.perkamo.webhooks.DeliveryLog;
import io.perkamo.webhooks.DeliveryWorker;
import io.perkamo.webhooks.WebhookSettings;

/**
 * One Perkamo instance against a Kafka cluster: the control-plane view, the stream
 * processor and the HTTP API, started in that order and stopped in reverse.
 */
public final class PerkamoNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PerkamoNode.class);

    /**
     * @param advertisedHost the host other instances reach this one's API on (interactive queries)
     * @param publicUrl      the base URL browsers and apps call (browser tokens' iss, and aud
     *                       {@code <publicUrl>/v1/client}); the same on every instance. Default:
     *                       {@code http://localhost:<apiPort>}
     */
    public record Settings(String bootstrapServers,
                           Optional<String> schemaRegistryUrl,
                           int apiPort,
                           String advertisedHost,
                           String applicationId,
                           Path stateDir,
                           int threads,
                           OutputFormat outputFormat,
                           Duration dedupRetention,
                           Duration ingestTimeout,
                           MasterKey masterKey,
                           Map<String, Object> streamsOverrides,
                           Optional<String> publicUrl,
                           WebhookSettings webhooks) {

        /**
         * Without a public URL (http://localhost:{@code apiPort}), with the default webhook settings
         * (SPEC section 5's 5 s timeout, retries for about a day).
         */
        public Settings(String bootstrapServers, Optional<String> schemaRegistryUrl, int apiPort, String advertisedHost,
                        String applicationId, Path stateDir, int threads, OutputFormat outputFormat,
                        Duration dedupRetention, Duration ingestTimeout, MasterKey masterKey,
                        Map<String, Object> streamsOverrides) {
            this(bootstrapServers, schemaRegistryUrl, apiPort, advertisedHost, applicationId, stateDir, threads,
                    outputFormat, dedupRetention, ingestTimeout, masterKey, streamsOverrides, Optional.empty(),
                    WebhookSettings.DEFAULTS);
        }

        /** The public base URL, without a trailing slash. */
        public String baseUrl() {
            String url = publicUrl.filter(u -> !u.isBlank()).orElse("http://localhost:" + apiPort);
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        /** The same settings with these webhook settings. */
        public Settings withWebhooks(WebhookSettings settings) {
            return new Settings(bootstrapServers, schemaRegistryUrl, apiPort, advertisedHost, applicationId, stateDir,
                    threads, outputFormat, dedupRetention, ingestTimeout, masterKey, streamsOverrides, publicUrl,
                    settings);
        }
    }

    private final ControlPlane control;
    private final PerkamoStreams streams;
    private final KafkaIngestGateway gateway;
    private final DeliveryWorker webhooks;
    private final DeliveryLog deliveries;
    private final UsageStreams usage;
    private final ApiServer api;
    private final OutcomeFeed feed;
    private final Console console;

    private PerkamoNode(ControlPlane control, PerkamoStreams streams, KafkaIngestGateway gateway,
                        DeliveryWorker webhooks, DeliveryLog deliveries, UsageStreams usage, ApiServer api,
                        OutcomeFeed feed, Console console) {
        this.control = control;
        this.streams = streams;
        this.gateway = gateway;
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.usage = usage;
        this.api = api;
        this.feed = feed;
        this.console = console;
    }

    /** An instance whose console has no operator token: it only says how to set one. */
    public static PerkamoNode start(Settings s) {
        return start(s, Optional.empty());
    }

    /** @param operatorToken signs operators in to the console at {@code /console} */
    public static PerkamoNode start(Settings s, Optional<OperatorToken> operatorToken) {
        ControlPlane control = ControlPlane.start(s.bootstrapServers(), s.masterKey());
        PerkamoStreams streams = null;
        KafkaIngestGateway gateway = null;
        DeliveryWorker webhooks = null;
        UsageStreams usage = null;
        DeliveryLog deliveries = new DeliveryLog(s.bootstrapServers());
        OutcomeFeed feed = null;
        Console console = null;
        try {
            Optional<SchemaRegistryClient> registry = s.schemaRegistryUrl().map(HttpSchemaRegistryClient::new);
            WireFormats formats = new WireFormats(s.outputFormat(), registry);
            streams = PerkamoStreams.start(new PerkamoStreams.Config(s.bootstrapServers(), s.applicationId(),
                    s.stateDir(), Optional.of(s.advertisedHost() + ":" + s.apiPort()), s.threads(),
                    formats, s.dedupRetention(), s.streamsOverrides()));
            gateway = new KafkaIngestGateway(s.bootstrapServers(), formats, s.ingestTimeout());
            // the instances of one deployment (one application id) share the webhook work
            webhooks = DeliveryWorker.start(s.bootstrapServers(), s.applicationId() + "-webhooks", control, formats,
                    s.webhooks());
            // the meters are their own exactly-once application, state next to the fold's; Spaces
            // created before the meters existed get their usage topic now
            try (org.apache.kafka.clients.admin.Admin admin = KafkaClients.admin(s.bootstrapServers(),
                    "perkamo-usage-topics")) {
                TopicAdmin.createTolerant(admin, control.spaces().stream()
                        .map(space -> Topics.USAGE.newTopic(space.slug(), space.partitions())).toList());
            }
            usage = UsageStreams.start(new UsageStreams.Config(s.bootstrapServers(), s.applicationId() + "-usage",
                    s.stateDir().resolve("usage"), formats, Map.of()));

            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new KafkaStreamsMetrics(streams.kafkaStreams()).bindTo(metrics);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);

            PerkamoStreams running = streams;
            KafkaIngestGateway answering = gateway;
            Readiness readiness = new Readiness() {
                @Override
                public boolean ready() {
                    return running.isRunning() && answering.isReady();
                }

                @Override
                public String detail() {
                    return "streams " + running.kafkaStreams().state() + ", outcome reader "
                            + (answering.isReady() ? "ready" : "starting");
                }
            };
            ApiServer.Config apiConfig = new ApiServer.Config(s.apiPort(),
                    s.masterKey().derive("perkamo/cluster-secret/v1"), s.ingestTimeout(), ApiServer.Config.DEFAULT_MAX_BODY_BYTES,
                    Clock.systemUTC());
            StoreProfileQuery profiles = new StoreProfileQuery(streams.profiles());
            feed = new OutcomeFeed(s.bootstrapServers(), formats);
            ReplaySimulator simulator = new ReplaySimulator(s.bootstrapServers(), control, registry,
                    s.dedupRetention(), ReplaySimulator.MAX_RECORDS, ReplaySimulator.MAX_TIME);
            UsageDays usageDays = new UsageDays(usage);
            console = new Console(new Console.Config(operatorToken, s.bootstrapServers(), formats, Clock.systemUTC()),
                    control, new ConsoleProfiles(profiles, apiConfig.clusterSecret(), s.ingestTimeout()), feed,
                    new ConsoleWebhooks(deliveries), new ConsoleWhatIfs(simulator), new ConsoleUsage(usageDays));
            BrowserTokens tokens = new BrowserTokens(control, s.baseUrl(), s.baseUrl() + "/v1/client",
                    Clock.systemUTC());
            ApiServer api = new ApiServer(apiConfig, new ControlKeyDirectory(control), new SchemasInputValidator(),
                    gateway, profiles, new ControlProgramConfig(control,
                    Clock.systemUTC()), Optional.of(new ControlWebhookConfig(control, deliveries)), readiness,
                    metrics, new ControlClientAccess(control, tokens), new ControlKeyAdmin(control),
                    new ControlRateLimits(control))
                    .simulator(simulator)
                    .usage(usageDays).extend(console::install).start();
            return new PerkamoNode(control, streams, gateway, webhooks, deliveries, usage, api, feed, console);
        } catch (RuntimeException e) {
            if (console != null) {
                console.close();
            }
            if (feed != null) {
                feed.close();
            }
            if (usage != null) {
                usage.close();
            }
            if (webhooks != null) {
                webhooks.close();
            }
            deliveries.close();
            if (gateway != null) {
                gateway.close();
            }
            if (streams != null) {
                streams.close();
            }
            control.close();
            throw e;
        }
    }

    /**
     * Blocks until the processor runs, processes every Space known now (a Space created since the
     * start needs a rebalance first) and the API can answer ingests.
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        streams.awaitRunning(timeout);
        List<Space> spaces = control.spaces();
        streams.awaitAssigned(spaces.stream().map(s -> Topics.EVENTS.name(s.slug())).toList(),
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        long left = Math.max(0, deadline - System.nanoTime());
        if (!gateway.awaitReady(Duration.ofNanos(left)) || !gateway.awaitTopics(
                spaces.stream().map(s -> Topics.OUTCOMES.name(s.slug())).toList(),
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            throw new IllegalStateException("the API's outcome reader is not ready after " + timeout.toSeconds() + " s");
        }
    }

    public ControlPlane control() {
        return control;
    }

    public int apiPort() {
        return api.port();
    }

    public UsageStreams usage() {
        return usage;
    }

    public PerkamoStreams streams() {
        return streams;
    }

    /** This instance's feed of committed outcomes per Space (the console's live log reads it). */
    public OutcomeFeed outcomeFeed() {
        return feed;
    }

    @Override
    public void close() {
        api.close();
        console.close();
        feed.close();
        usage.close();
        webhooks.close();
        deliveries.close();
        gateway.close();
        streams.close();
        control.close();
        log.info("Perkamo instance stopped");
    }
}

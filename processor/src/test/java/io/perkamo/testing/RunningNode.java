package io.perkamo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.keys.OperatorToken;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.local.EmbeddedKafkaBroker;
import io.perkamo.node.PerkamoNode;
import io.perkamo.stream.PerkamoStreams;
import io.perkamo.topics.OutputFormat;
import io.perkamo.webhooks.WebhookSettings;

/**
 * One whole instance ({@link PerkamoNode}) on the shared test broker, with its API on a free port
 * and, when asked, a Space of its own (unique slug, a server key, a program in force from the
 * epoch). A JUnit extension for a test class:
 *
 * <pre>
 * {@literal @}RegisterExtension
 * static final RunningNode node = RunningNode.builder().space("node", 3).program(DemoSpace.program()).build();
 * </pre>
 *
 * or an AutoCloseable started with {@link #start()}. {@link Builder#joining} starts a second
 * instance of the same application (same id, master key and Space) for multi-instance tests.
 */
public final class RunningNode implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Builder config;
    private final String applicationId;
    private final MasterKey masterKey;
    private PerkamoNode node;
    private String space;
    private String serverKey;
    private boolean closed;

    private RunningNode(Builder config) {
        this.config = config;
        this.applicationId = config.joining.map(first -> first.applicationId)
                .orElse("perkamo-it-" + System.nanoTime());
        this.masterKey = config.joining.map(first -> first.masterKey).orElseGet(MasterKey::generate);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the instance, sets up its Space (a joining instance takes the first one's), and
     * waits until it processes every Space known now and can answer ingests.
     */
    public synchronized RunningNode start() throws InterruptedException {
        if (node != null || closed) {
            throw new IllegalStateException("a RunningNode starts once");
        }
        if (config.joining.isPresent() && config.joining.get().node == null) {
            throw new IllegalStateException("start the first instance before the one joining it");
        }
        node = PerkamoNode.start(new PerkamoNode.Settings(TestKafka.bootstrapServers(), Optional.empty(),
                EmbeddedKafkaBroker.freePort(), "localhost", applicationId, tempDir(), 1, config.outputFormat,
                Duration.ofDays(30), config.ingestTimeout, masterKey, Map.copyOf(config.streamsOverrides))
                .withWebhooks(config.webhooks), config.operatorToken.map(OperatorToken::ofPlaintext));
        try {
            if (config.joining.isPresent()) {
                RunningNode first = config.joining.get();
                space = first.space;
                serverKey = first.serverKey;
            } else if (config.slugPrefix.isPresent()) {
                space = TestKafka.uniqueSlug(config.slugPrefix.get());
                new SpaceAdmin(node.control()).create(space, "test", Optional.empty(), config.partitions);
                serverKey = new ApiKeys(node.control()).create(space, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();
                if (config.program.isPresent()) {
                    new ProgramStore(node.control()).publish(space, config.program.get(), Instant.EPOCH);
                }
            }
            node.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public PerkamoNode node() {
        if (node == null) {
            throw new IllegalStateException("not started");
        }
        return node;
    }

    public ControlPlane control() {
        return node().control();
    }

    /** The instance's master key (another process of the same deployment needs it). */
    public MasterKey masterKey() {
        return masterKey;
    }

    public PerkamoStreams streams() {
        return node().streams();
    }

    public String baseUrl() {
        return "http://localhost:" + node().apiPort();
    }

    /** The Space's slug; only for an instance built with a Space. */
    public String space() {
        if (space == null) {
            throw new IllegalStateException("this instance was built without a Space");
        }
        return space;
    }

    /** A server key of the Space, with every scope. */
    public String serverKey() {
        space();
        return serverKey;
    }

    /** HTTP to this instance with the Space's server key (or no key for an instance without a Space). */
    public ApiClient api() {
        return space == null ? ApiClient.of(baseUrl()) : ApiClient.of(baseUrl(), serverKey);
    }

    /** Stops the instance; a second call does nothing. */
    @Override
    public synchronized void close() {
        closed = true;
        if (node != null) {
            node.close();
        }
    }

    private static java.nio.file.Path tempDir() {
        try {
            return Files.createTempDirectory("perkamo-node-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Builder {
        private Optional<String> slugPrefix = Optional.empty();
        private int partitions = 3;
        private Optional<ObjectNode> program = Optional.empty();
        private OutputFormat outputFormat = OutputFormat.JSON;
        private Duration ingestTimeout = Duration.ofSeconds(15);
        private final Map<String, Object> streamsOverrides = new HashMap<>();
        private Optional<RunningNode> joining = Optional.empty();
        private Optional<String> operatorToken = Optional.empty();
        private WebhookSettings webhooks = WebhookSettings.DEFAULTS;

        private Builder() {
        }

        /** Signs operators in to the console at /console with this token (16 characters or more). */
        public Builder operatorToken(String token) {
            this.operatorToken = Optional.of(token);
            return this;
        }

        /** The webhook sender's settings (a retry schedule of milliseconds, a short timeout ...). */
        public Builder webhooks(WebhookSettings settings) {
            this.webhooks = settings;
            return this;
        }

        /** A test Space of its own, slug {@code prefix-<unique>}, with a server key. */
        public Builder space(String slugPrefix, int partitions) {
            this.slugPrefix = Optional.of(slugPrefix);
            this.partitions = partitions;
            return this;
        }

        /** The Space's program, in force from the epoch (so it covers every input). */
        public Builder program(ObjectNode program) {
            this.program = Optional.of(program);
            return this;
        }

        /** The Space's program as YAML text. */
        public Builder programYaml(String yaml) {
            try {
                return program((ObjectNode) new YAMLMapper().readTree(yaml));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Builder outputFormat(OutputFormat format) {
            this.outputFormat = format;
            return this;
        }

        public Builder ingestTimeout(Duration timeout) {
            this.ingestTimeout = timeout;
            return this;
        }

        /** A Kafka Streams property over the instance's defaults. */
        public Builder streamsProperty(String name, Object value) {
            streamsOverrides.put(name, value);
            return this;
        }

        /**
         * Another instance of {@code first}'s application: the same application id and master key,
         * and {@code first}'s Space and key (so {@code first} must be started before this one).
         */
        public Builder joining(RunningNode first) {
            this.joining = Optional.of(first);
            return this;
        }

        public RunningNode build() {
            if (joining.isPresent() && (slugPrefix.isPresent() || program.isPresent())) {
                throw new IllegalStateException("a joining instance uses the first one's Space");
            }
            if (program.isPresent() && slugPrefix.isEmpty()) {
                throw new IllegalStateException("a program needs a Space");
            }
            return new RunningNode(this);
        }
    }
}

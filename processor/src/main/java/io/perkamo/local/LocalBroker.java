package io.perkamo.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * The infrastructure half of local mode: the embedded KRaft broker and, unless turned
 * off, the schema-registry endpoint on it. `perkamo broker` runs it alone, so several
 * engine instances can share one broker and one registry.
 */
public final class LocalBroker implements AutoCloseable {
    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    private final EmbeddedKafkaBroker broker;
    private final Optional<SchemaRegistryServer> registry;
    private final CountDownLatch closed = new CountDownLatch(1);

    private LocalBroker(EmbeddedKafkaBroker broker, Optional<SchemaRegistryServer> registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /**
     * Starts the broker on dataDir, then the registry when a registry port is given (0 picks
     * free ports). Every port is checked before anything starts.
     *
     * @throws Ports.PortInUseException naming the first port that is taken
     * @throws IllegalStateException    when the broker or the registry cannot start
     */
    public static LocalBroker start(Path dataDir, int port, int controllerPort, OptionalInt registryPort) {
        if (registryPort.isPresent() && registryPort.getAsInt() != 0) {
            Ports.requireFree(registryPort.getAsInt(), "schema registry");
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, port, controllerPort, Map.of()).start();
        try {
            Optional<SchemaRegistryServer> registry = registryPort.isPresent()
                    ? Optional.of(new SchemaRegistryServer(broker.bootstrapServers(), registryPort.getAsInt()).start())
                    : Optional.empty();
            return new LocalBroker(broker, registry);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The registry's URL, when it runs. */
    public Optional<String> schemaRegistryUrl() {
        return registry.map(SchemaRegistryServer::url);
    }

    public Path dataDir() {
        return broker.dataDir();
    }

    /** Blocks until {@link #close()} has stopped everything. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops the registry, then the broker; safe to call more than once and from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        try {
            registry.ifPresent(SchemaRegistryServer::close);
        } finally {
            broker.close();
            closed.countDown();
        }
    }
}

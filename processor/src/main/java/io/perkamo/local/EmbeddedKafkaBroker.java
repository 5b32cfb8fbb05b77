package io.perkamo.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Kafka broker (KRaft, combined broker + controller, one node) inside this JVM.
 * Local mode and the integration tests both use it. The data directory is formatted
 * once, its cluster id kept, so records survive a restart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    /**
     * @param dataDir        where logs and metadata live; created and formatted on first start
     * @param port           client port (0 picks a free one)
     * @param controllerPort controller port (0 picks a free one)
     * @param overrides      extra broker properties, applied last
     */
    public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        Ports.requireFree(port, "Kafka broker");
        Ports.requireFree(controllerPort, "Kafka controller");
        FatalExit.install();
        try {
            Files.createDirectories(dataDir);
            Properties props = brokerProperties();
            formatOnce(props);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Kafka broker in " + dataDir + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Kafka broker: " + e.getMessage(), e);
        }
        log.info("Kafka broker ready on {}", bootstrapServers());
        return this;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("Kafka broker stopped");
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir().toString());
        p.put("metadata.log.dir", metadataDir().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "12");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "12");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.putAll(overrides);
        return p;
    }

    private void formatOnce(Properties props) throws Exception {
        Path clusterIdFile = dataDir.resolve("cluster.id");
        if (Files.exists(metadataDir().resolve("meta.properties"))) {
            return;
        }
        String clusterId = Files.exists(clusterIdFile)
                ? Files.readString(clusterIdFile, StandardCharsets.UTF_8).trim()
                : Uuid.randomUuid().toString();
        Formatter formatter = new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(metadataDir().toString())
                .addDirectory(logDir().toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setIgnoreFormatted(true);
        if (!metadataDir().equals(logDir())) {
            formatter.addDirectory(metadataDir().toString());
        }
        formatter.run();
        Files.writeString(clusterIdFile, clusterId + "\n", StandardCharsets.UTF_8);
        log.info("Formatted a new Kafka data directory {} (cluster id {})", dataDir, clusterId);
    }

    private Path logDir() {
        return dataDir.resolve("logs");
    }

    private Path metadataDir() {
        return dataDir.resolve("metadata");
    }

    /** A port nothing listens on now (tests and local mode pick ports with it). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}

package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.perkamo.testing.Eventually;

class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dir;

    @Test
    void shouldKeepRecordsAndClusterIdAcrossRestart() throws Exception {
        // given a broker that stored one record
        String clusterId;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0, 0, Map.of()).start()) {
            clusterId = Files.readString(dir.resolve("cluster.id")).trim();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            produce(broker.bootstrapServers(), "kept", "k", "v");
        }

        // when it restarts on the same directory
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0, 0, Map.of()).start()) {
            // then the record and the cluster id are still there
            assertThat(Files.readString(dir.resolve("cluster.id")).trim()).isEqualTo(clusterId);
            assertThat(consumeAll(broker.bootstrapServers(), "kept")).containsExactly("v");
        }
    }

    @Test
    void shouldNamePortInUse() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            int taken = socket.getLocalPort();
            assertThatThrownBy(() -> new EmbeddedKafkaBroker(dir, taken, 0, Map.of()).start())
                    .hasMessageContaining("port " + taken)
                    .hasMessageContaining("in use");
        }
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic) throws InterruptedException {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "it-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            return Eventually.untilPresent(Duration.ofSeconds(20), () -> {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                return records.isEmpty() ? Optional.<List<String>>empty()
                        : Optional.of(java.util.stream.StreamSupport.stream(records.spliterator(), false)
                                .map(r -> r.value()).toList());
            }).orElse(List.of());
        }
    }
}

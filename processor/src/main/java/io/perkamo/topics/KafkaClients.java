package io.perkamo.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Client configurations for the engine's own producers, consumers and admin clients: bounded
 * timeouts so nothing hangs, idempotent acks=all producers, read_committed consumers without
 * a group. Callers adjust a config map before building the client.
 */
public final class KafkaClients {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private KafkaClients() {
    }

    public static Admin admin(String bootstrap, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(c);
    }

    /** acks=all, idempotent, no linger; sends fail within 30 s rather than hang. */
    public static Map<String, Object> producerConfig(String bootstrap, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return c;
    }

    /** read_committed, no group and no committed offsets, from the earliest offset. */
    public static Map<String, Object> consumerConfig(String bootstrap, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return c;
    }

    public static <K, V> KafkaProducer<K, V> producer(Map<String, Object> config, Serializer<K> keys,
                                                      Serializer<V> values) {
        return new KafkaProducer<>(config, keys, values);
    }

    public static <K, V> KafkaConsumer<K, V> consumer(Map<String, Object> config, Deserializer<K> keys,
                                                      Deserializer<V> values) {
        return new KafkaConsumer<>(config, keys, values);
    }

    /** Fails fast with the address when no broker answers within the timeout. */
    public static void checkReachable(Admin admin, String bootstrap, Duration timeout) {
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TopicsException("Cannot reach Kafka at " + bootstrap + " within "
                    + timeout.toSeconds() + " s (set --bootstrap-servers?)");
        } catch (ExecutionException e) {
            throw new TopicsException("Cannot reach Kafka at " + bootstrap + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsException("interrupted while connecting to " + bootstrap, e);
        }
    }
}

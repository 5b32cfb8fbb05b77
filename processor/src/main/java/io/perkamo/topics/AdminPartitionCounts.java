package io.perkamo.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Partition counts from the cluster, asked once per topic and then cached for a while: the
 * router needs one per record, the cluster changes them rarely.
 */
public final class AdminPartitionCounts implements PartitionCounts, AutoCloseable {
    private static final Duration TTL = Duration.ofMinutes(1);

    private record Entry(int partitions, long fetchedAtNanos) {
    }

    private final Admin admin;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public AdminPartitionCounts(Map<String, Object> adminConfig) {
        this.admin = Admin.create(adminConfig);
    }

    @Override
    public int of(String topic) {
        Entry e = cache.get(topic);
        long now = System.nanoTime();
        if (e == null || now - e.fetchedAtNanos() > TTL.toNanos()) {
            e = new Entry(fetch(topic), now);
            cache.put(topic, e);
        }
        return e.partitions();
    }

    private int fetch(String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            return d.partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}

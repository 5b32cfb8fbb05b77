package io.perkamo.local;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until every partition of freshly created topics has a leader that answers.
 * Kafka 4.4's createTopics() completes before the broker leads the new partitions, and
 * records produced in that window can be lost (NOT_LEADER_OR_FOLLOWER, then
 * OUT_OF_ORDER_SEQUENCE_NUMBER), so callers create, then await, then report ready.
 */
public final class TopicReadiness {
    private static final long RETRY_BACKOFF_MS = 50;
    private static final long MAX_CALL_MS = 5_000;

    private TopicReadiness() {
    }

    /**
     * Blocks until a ListOffsets(latest) request succeeds on every partition of the topics.
     * Retries what Admin leaves to the caller (unknown topic or partition, no leader yet,
     * timeouts); fails at once on a non-retriable error.
     *
     * @throws IllegalStateException naming the topics not ready when the timeout passes,
     *                               or on a non-retriable error
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> pending = new TreeSet<>(topics);
        Map<String, String> lastError = new HashMap<>();
        while (!pending.isEmpty()) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs <= 0) {
                throw notReady(pending, lastError, timeout);
            }
            int callMs = (int) Math.max(1, Math.min(remainingMs, MAX_CALL_MS));
            Map<String, Set<TopicPartition>> partitions = describe(admin, pending, callMs, lastError);
            pending.removeAll(answering(admin, partitions, callMs, lastError));
            if (!pending.isEmpty()) {
                sleep(Math.min(RETRY_BACKOFF_MS, Math.max(0,
                        TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            }
        }
    }

    private static Map<String, Set<TopicPartition>> describe(Admin admin, Set<String> topics, int callMs,
            Map<String, String> lastError) {
        Map<String, KafkaFuture<TopicDescription>> futures = admin
                .describeTopics(topics, new DescribeTopicsOptions().timeoutMs(callMs))
                .topicNameValues();
        Map<String, Set<TopicPartition>> partitions = new LinkedHashMap<>();
        for (var entry : futures.entrySet()) {
            String topic = entry.getKey();
            await(entry.getValue(), callMs, topic, lastError).ifPresent(description -> {
                Set<TopicPartition> tps = new TreeSet<>(
                        (a, b) -> Integer.compare(a.partition(), b.partition()));
                description.partitions().forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
                if (description.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
                    lastError.put(topic, "a partition has no leader yet");
                } else if (!tps.isEmpty()) {
                    partitions.put(topic, tps);
                }
            });
        }
        return partitions;
    }

    private static Set<String> answering(Admin admin, Map<String, Set<TopicPartition>> partitions, int callMs,
            Map<String, String> lastError) {
        Set<String> ready = new TreeSet<>();
        if (partitions.isEmpty()) {
            return ready;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.values().forEach(tps -> tps.forEach(tp -> request.put(tp, OffsetSpec.latest())));
        var result = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(callMs));
        for (var entry : partitions.entrySet()) {
            boolean all = true;
            for (TopicPartition tp : entry.getValue()) {
                if (await(result.partitionResult(tp), callMs, entry.getKey(), lastError).isEmpty()) {
                    all = false;
                    break;
                }
            }
            if (all) {
                ready.add(entry.getKey());
            }
        }
        return ready;
    }

    /** The value, or empty after a retriable failure (remembered per topic for the final message). */
    private static <T> Optional<T> await(KafkaFuture<T> future, long callMs, String topic,
            Map<String, String> lastError) {
        try {
            return Optional.of(future.get(callMs + 1_000, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RetriableException) {
                lastError.put(topic, cause.getClass().getSimpleName());
                return Optional.empty();
            }
            throw new IllegalStateException("topic " + topic + " is not usable: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            lastError.put(topic, "no answer within " + callMs + " ms");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
        }
    }

    private static IllegalStateException notReady(Set<String> pending, Map<String, String> lastError,
            Duration timeout) {
        StringBuilder names = new StringBuilder();
        for (String topic : pending) {
            if (!names.isEmpty()) {
                names.append(", ");
            }
            names.append(topic);
            String why = lastError.get(topic);
            if (why != null) {
                names.append(" (").append(why).append(')');
            }
        }
        return new IllegalStateException("topics not ready after " + timeout.toMillis()
                + " ms (no partition leader answered): " + names);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics", e);
        }
    }
}

package io.perkamo.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Waits until new topics can take records. createTopics() completes before the broker
 * leads the new partitions, and records produced at once were lost on 4.4.0 (see
 * shared/notes/kafka-on-this-machine.md), so a topic is ready only when every one of its
 * partitions answers Admin.listOffsets. UnknownTopicOrPartition, NotLeaderOrFollower,
 * LeaderNotAvailable (and other retriable errors) are retried until the deadline.
 */
public final class TopicReadiness {
    private static final long PAUSE_MS = 50;

    private TopicReadiness() {
    }

    /** The partition count of each topic, once all of their partitions answer. */
    public static Map<String, Integer> awaitReady(Admin admin, Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> partitions = describe(admin, topics, deadline, timeout);
        List<TopicPartition> pending = new ArrayList<>();
        partitions.forEach((t, n) -> {
            for (int p = 0; p < n; p++) {
                pending.add(new TopicPartition(t, p));
            }
        });
        while (!pending.isEmpty()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            pending.forEach(tp -> request.put(tp, OffsetSpec.latest()));
            var result = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(remainingMs(deadline, 5000)));
            List<TopicPartition> stillPending = new ArrayList<>();
            for (TopicPartition tp : pending) {
                if (!answers(result.partitionResult(tp), deadline)) {
                    stillPending.add(tp);
                }
            }
            pending.clear();
            pending.addAll(stillPending);
            if (!pending.isEmpty()) {
                pauseOrFail(deadline, () -> "Topics not ready within " + timeout.toSeconds()
                        + " s: no leader yet for partitions " + stillPending);
            }
        }
        return partitions;
    }

    private static Map<String, Integer> describe(Admin admin, Collection<String> topics, long deadline, Duration timeout) {
        Map<String, Integer> known = new LinkedHashMap<>();
        while (true) {
            List<String> missing = topics.stream().filter(t -> !known.containsKey(t)).toList();
            if (missing.isEmpty()) {
                return known;
            }
            Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(missing).topicNameValues();
            for (var e : futures.entrySet()) {
                if (answers(e.getValue(), deadline)) {
                    known.put(e.getKey(), get(e.getValue()).partitions().size());
                }
            }
            if (known.size() < topics.size()) {
                pauseOrFail(deadline, () -> "Topics not ready within " + timeout.toSeconds()
                        + " s: not yet known to the broker: "
                        + topics.stream().filter(t -> !known.containsKey(t)).toList());
            }
        }
    }

    /** True when the future succeeded, false on an error worth retrying; throws otherwise. */
    private static boolean answers(KafkaFuture<?> future, long deadline) {
        try {
            future.get(remainingMs(deadline, 1000) + 1000, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException || cause instanceof NotLeaderOrFollowerException
                    || cause instanceof LeaderNotAvailableException || cause instanceof RetriableException) {
                return false;
            }
            throw new TopicsException("Kafka refused: " + cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsException("interrupted while waiting for topics", e);
        }
    }

    private static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int remainingMs(long deadline, int atLeast) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(atLeast, Math.min(ms, Integer.MAX_VALUE));
    }

    private static void pauseOrFail(long deadline, java.util.function.Supplier<String> message) {
        if (System.nanoTime() > deadline) {
            throw new TopicsException(message.get());
        }
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsException("interrupted while waiting for topics", e);
        }
    }
}

package io.perkamo.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The three compacted control topics: created when absent, then awaited until ready. */
public final class ControlTopics {
    public static final List<String> ALL = List.of(SpaceTopics.CONTROL_SPACES, SpaceTopics.CONTROL_KEYS,
            SpaceTopics.CONTROL_PROGRAMS);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private ControlTopics() {
    }

    /** Idempotent: creates missing control topics (1 partition, compacted, broker-default RF). */
    public static void ensure(Admin admin) {
        List<NewTopic> missing = new ArrayList<>();
        for (var e : admin.describeTopics(ALL).topicNameValues().entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new ControlPlaneException("Cannot describe " + e.getKey() + ": " + ex.getCause().getMessage(),
                            ex.getCause());
                }
                missing.add(new NewTopic(e.getKey(), Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new ControlPlaneException("interrupted", ex);
            }
        }
        if (!missing.isEmpty()) {
            createTolerant(admin, missing);
        }
        TopicReadiness.awaitReady(admin, ALL, READY_TIMEOUT);
    }

    /** createTopics that treats an existing topic as success (a retry after a crash, a race). */
    static void createTolerant(Admin admin, List<NewTopic> topics) {
        var futures = admin.createTopics(topics).values();
        for (var e : futures.entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new ControlPlaneException("Cannot create topic " + e.getKey() + ": "
                            + ex.getCause().getMessage(), ex.getCause());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new ControlPlaneException("interrupted", ex);
            }
        }
    }
}

package io.perkamo.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates the contract's topics: retry-safe, and ready (every partition led) when it returns. */
public final class TopicAdmin {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private TopicAdmin() {
    }

    /** Idempotent: creates missing control topics (1 partition, compacted, broker-default RF), then awaits them. */
    public static void ensureControlTopics(Admin admin) {
        List<String> names = Topics.CONTROL.stream().map(ControlTopic::name).toList();
        List<NewTopic> missing = new ArrayList<>();
        for (var e : admin.describeTopics(names).topicNameValues().entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new TopicsException("Cannot describe " + e.getKey() + ": " + ex.getCause().getMessage(),
                            ex.getCause());
                }
                Topics.CONTROL.stream().filter(t -> t.name().equals(e.getKey())).findFirst()
                        .ifPresent(t -> missing.add(t.newTopic()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new TopicsException("interrupted", ex);
            }
        }
        if (!missing.isEmpty()) {
            createTolerant(admin, missing);
        }
        TopicReadiness.awaitReady(admin, names, READY_TIMEOUT);
    }

    /**
     * Creates a Space's topics with {@code partitions} partitions (topics left by an earlier,
     * interrupted attempt are reused) and returns each one's actual partition count once every
     * partition answers.
     */
    public static Map<String, Integer> createSpaceTopics(Admin admin, String slug, int partitions) {
        createTolerant(admin, Topics.PER_SPACE.stream().map(t -> t.newTopic(slug, partitions)).toList());
        return TopicReadiness.awaitReady(admin, Topics.PER_SPACE.stream().map(t -> t.name(slug)).toList(),
                READY_TIMEOUT);
    }

    /**
     * Creates one more topic of a Space (one created on demand, like its webhook delivery log) with
     * {@code partitions} partitions unless it exists, and returns its partition count once every
     * partition answers.
     */
    public static int ensureSpaceTopic(Admin admin, SpaceTopic<?, ?> topic, String slug, int partitions) {
        createTolerant(admin, List.of(topic.newTopic(slug, partitions)));
        return TopicReadiness.awaitReady(admin, List.of(topic.name(slug)), READY_TIMEOUT).get(topic.name(slug));
    }

    /** createTopics that treats an existing topic as success (a retry after a crash, a race). */
    public static void createTolerant(Admin admin, List<NewTopic> topics) {
        var futures = admin.createTopics(topics).values();
        for (var e : futures.entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new TopicsException("Cannot create topic " + e.getKey() + ": "
                            + ex.getCause().getMessage(), ex.getCause());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new TopicsException("interrupted", ex);
            }
        }
    }
}

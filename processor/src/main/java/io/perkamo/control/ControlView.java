package io.perkamo.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.topics.KafkaClients;

/**
 * The read model's engine: a background consumer without a group reads the compacted control
 * topics from the beginning (read_committed), keeps tailing them and hands each record to the
 * {@link TopicView} of its topic. It tracks how far it has read, so a caller can wait until it
 * has caught up with the topics or read a given record (read your writes), and tells listeners
 * after each batch that changed something.
 */
final class ControlView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlView.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private final Admin admin;
    private final Map<String, TopicView> viewsByTopic = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastError = "";

    /** Assigns every partition of the views' topics, from the beginning; {@link #start} begins reading. */
    ControlView(String bootstrap, Admin admin, List<TopicView> views) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        views.forEach(v -> viewsByTopic.put(v.topic().name(), v));
        this.consumer = KafkaClients.consumer(KafkaClients.consumerConfig(bootstrap, "perkamo-control-view"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        try {
            for (TopicView view : views) {
                for (PartitionInfo p : consumer.partitionsFor(view.topic().name(), Duration.ofSeconds(15))) {
                    tps.add(new TopicPartition(view.topic().name(), p.partition()));
                }
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(1));
            throw e;
        }
        this.partitions = List.copyOf(tps);
        this.thread = new Thread(this::loop, "perkamo-control-view");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Reads up to the end offsets the control topics have at the time of the call. */
    void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        try {
            var result = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                    .timeoutMs((int) Math.max(1, timeout.toMillis())));
            for (var e : result.all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).entrySet()) {
                ends.put(e.getKey(), e.getValue().offset());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new ControlPlaneException("Control topics at " + bootstrap + " did not answer within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted", e);
        }
        for (var e : ends.entrySet()) {
            awaitPosition(e.getKey(), e.getValue(), deadline, timeout);
        }
    }

    /** Waits until the view has read {@code tp} up to (excluding) {@code offset}. */
    void awaitPosition(TopicPartition tp, long offset, Duration timeout) {
        awaitPosition(tp, offset, System.nanoTime() + timeout.toNanos(), timeout);
    }

    /** Runs on the view's thread after each batch of records that changed something. */
    void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void awaitPosition(TopicPartition tp, long offset, long deadline, Duration timeout) {
        synchronized (progress) {
            while (positions.getOrDefault(tp, -1L) < offset) {
                long waitMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (waitMs <= 0 || !running) {
                    throw new ControlPlaneException("Control plane did not catch up with " + tp + " within "
                            + timeout.toSeconds() + " s" + (lastError.isEmpty() ? "" : " (" + lastError + ")"));
                }
                try {
                    progress.wait(Math.min(waitMs, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ControlPlaneException("interrupted", e);
                }
            }
        }
    }

    // ---- the view's thread

    private void loop() {
        try {
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    boolean changed = false;
                    for (ConsumerRecord<String, byte[]> r : records) {
                        changed |= apply(r);
                    }
                    for (TopicPartition tp : partitions) {
                        positions.put(tp, consumer.position(tp, Duration.ofSeconds(5)));
                    }
                    lastError = "";
                    synchronized (progress) {
                        progress.notifyAll();
                    }
                    if (changed) {
                        notifyListeners();
                    }
                } catch (WakeupException e) {
                    if (running) {
                        continue;
                    }
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    if (!e.toString().equals(lastError)) {
                        log.warn("Control plane view: {}; retrying", e.toString());
                    }
                    lastError = e.toString();
                    sleep(1000);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(1));
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /** Applies one control record; a record that cannot be parsed is skipped (never its content in logs). */
    private boolean apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            log.warn("Skipping control record without a key at {}-{}@{}", r.topic(), r.partition(), r.offset());
            return false;
        }
        TopicView view = viewsByTopic.get(r.topic());
        if (view == null) {
            return false;
        }
        try {
            view.apply(r.key(), r.value());
            return true;
        } catch (RuntimeException e) {
            log.warn("Skipping unreadable control record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return false;
        }
    }

    private void notifyListeners() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("Control plane listener failed: {}", e.toString());
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

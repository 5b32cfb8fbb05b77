package io.perkamo.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.topics.ControlTopic;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.TopicAdmin;
import io.perkamo.topics.Topics;

/**
 * Every instance's live, in-memory view of the control topics (Spaces, API keys, program
 * versions). A background consumer without a group reads the compacted topics from the
 * beginning (read_committed) and keeps tailing them; tombstones remove entries. It also
 * owns the clients that {@link SpaceAdmin}, {@link ApiKeys} and {@link ProgramStore} write
 * with, so a write is visible here when it returns (read your writes).
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private final Optional<KeyCrypto> crypto;
    private final Admin admin;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Object progress = new Object();

    private final Map<String, Space> spaces = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();
    private final Map<String, String> keyIdByHash = new ConcurrentHashMap<>();
    /** Stored keys already decrypted, by key id; an entry counts only for the very record it was decrypted from. */
    private final Map<String, Decrypted> decrypted = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Long, ProgramVersion>> programs = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastError = "";
    private KafkaProducer<String, byte[]> producer;

    private ControlPlane(String bootstrap, Optional<KeyCrypto> crypto, Admin admin) {
        this.bootstrap = bootstrap;
        this.crypto = crypto;
        this.admin = admin;
        this.consumer = KafkaClients.consumer(KafkaClients.consumerConfig(bootstrap, "perkamo-control-view"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        try {
            for (ControlTopic topic : Topics.CONTROL) {
                for (PartitionInfo p : consumer.partitionsFor(topic.name(), Duration.ofSeconds(15))) {
                    tps.add(new TopicPartition(topic.name(), p.partition()));
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

    /**
     * Connects (failing within ~10 s with the address when no broker answers), ensures the
     * control topics, and returns once the view has read everything already written.
     */
    public static ControlPlane start(String bootstrapServers, MasterKey key) {
        return start(bootstrapServers, Optional.of(new KeyCrypto(Objects.requireNonNull(key, "key"))));
    }

    /**
     * A view without the master key, for tools that only handle Spaces and programs:
     * {@link #resolve} and key management refuse to work on it.
     */
    public static ControlPlane startWithoutMasterKey(String bootstrapServers) {
        return start(bootstrapServers, Optional.empty());
    }

    private static ControlPlane start(String bootstrap, Optional<KeyCrypto> crypto) {
        Admin admin = KafkaClients.admin(bootstrap, "perkamo-control-admin");
        ControlPlane cp = null;
        try {
            KafkaClients.checkReachable(admin, bootstrap, KafkaClients.CONNECT_TIMEOUT);
            TopicAdmin.ensureControlTopics(admin);
            cp = new ControlPlane(bootstrap, crypto, admin);
            cp.thread.start();
            cp.awaitCaughtUp(CATCH_UP_TIMEOUT);
            log.info("Control plane view ready: {} Spaces, {} keys", cp.spaces.size(), cp.keys.size());
            return cp;
        } catch (RuntimeException e) {
            if (cp != null) {
                cp.close();
            } else {
                admin.close(Duration.ofSeconds(1));
            }
            throw e;
        }
    }

    // ---- reads

    /** Reads up to the end offsets the control topics have at the time of the call. */
    public void awaitCaughtUp(Duration timeout) {
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

    public List<Space> spaces() {
        return spaces.values().stream().sorted(Comparator.comparing(Space::slug)).toList();
    }

    public Optional<Space> space(String slug) {
        return Optional.ofNullable(slug).map(spaces::get);
    }

    public Optional<ApiKeyRecord> key(String keyId) {
        return Optional.ofNullable(keyId).map(keys::get);
    }

    public Optional<ApiKeyRecord> keyByLookupHash(String hash) {
        return Optional.ofNullable(hash).map(keyIdByHash::get).map(keys::get);
    }

    /** The Space's keys, revoked ones included, oldest first. */
    public List<ApiKeyRecord> keys(String slug) {
        return keys.values().stream().filter(k -> k.space().equals(slug))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::id)).toList();
    }

    /**
     * The live key a request presents, with its Space: looked up by hash, then compared in
     * constant time with the decrypted stored key. Empty for unknown, revoked or orphaned keys.
     */
    public Optional<ResolvedKey> resolve(String presentedKey) {
        KeyCrypto c = requireCrypto();
        if (presentedKey == null || presentedKey.length() < 8 || presentedKey.length() > 512) {
            return Optional.empty();
        }
        Optional<ApiKeyRecord> found = keyByLookupHash(c.lookupHash(presentedKey));
        if (found.isEmpty() || found.get().revoked()) {
            return Optional.empty();
        }
        ApiKeyRecord record = found.get();
        Optional<Space> space = space(record.space());
        if (space.isEmpty() || !presentedKey.startsWith(record.kind().prefix(space.get().environment()))) {
            return Optional.empty();
        }
        Optional<String> stored = storedKey(c, record);
        if (stored.isEmpty() || !KeyCrypto.constantTimeEquals(stored.get(), presentedKey)) {
            return Optional.empty();
        }
        return Optional.of(new ResolvedKey(space.get(), record));
    }

    private record Decrypted(ApiKeyRecord record, String plaintext) {
    }

    /**
     * The record's key in plain text. AES-GCM once per record, not per request: the entry is
     * dropped when the record changes (revocation writes a new record) and only matches the
     * record instance it came from, so a revoked key is refused as soon as this view reads the
     * revocation.
     */
    private Optional<String> storedKey(KeyCrypto c, ApiKeyRecord record) {
        Decrypted d = decrypted.get(record.id());
        if (d != null && d.record() == record) {
            return Optional.of(d.plaintext());
        }
        Optional<String> plain = c.decrypt(record.ciphertext(), record.id());
        plain.ifPresent(p -> decrypted.put(record.id(), new Decrypted(record, p)));
        return plain;
    }

    /** Every version of the Space's program, ascending. */
    public List<ProgramVersion> programs(String slug) {
        NavigableMap<Long, ProgramVersion> versions = programs.get(slug);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /**
     * The version in force at {@code at}: among versions whose effective time is not after
     * {@code at}, the one with the latest effective time (the higher version on a tie).
     */
    public Optional<ProgramVersion> activeProgram(String slug, Instant at) {
        return programs(slug).stream().filter(p -> !p.effectiveAt().isAfter(at))
                .max(Comparator.comparing(ProgramVersion::effectiveAt).thenComparingLong(ProgramVersion::version));
    }

    /** Runs on the view's thread after each batch of records that changed something. */
    public void onChange(Runnable listener) {
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
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
        admin.close(Duration.ofSeconds(2));
    }

    // ---- for the writers of this package

    Admin admin() {
        return admin;
    }

    String bootstrapServers() {
        return bootstrap;
    }

    KeyCrypto requireCrypto() {
        return crypto.orElseThrow(() -> new IllegalStateException(
                "this ControlPlane was started without the master key"));
    }

    /** Writes one control record (acks=all, idempotent) and waits until this view has read it. */
    void write(ControlTopic to, String key, byte[] value) {
        String topic = to.name();
        RecordMetadata md;
        try {
            md = producer().send(new ProducerRecord<>(topic, key, value)).get(40, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ControlPlaneException("Cannot write to " + topic + " at " + bootstrap + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ControlPlaneException("Cannot write to " + topic + " at " + bootstrap + " within 40 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted", e);
        }
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        awaitPosition(new TopicPartition(topic, md.partition()), md.offset() + 1, deadline, CATCH_UP_TIMEOUT);
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (!running) {
            throw new IllegalStateException("control plane closed");
        }
        if (producer == null) {
            producer = KafkaClients.producer(KafkaClients.producerConfig(bootstrap, "perkamo-control-writer"),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
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
        try {
            if (r.topic().equals(Topics.CONTROL_SPACES.name())) {
                applySpace(r.key(), r.value());
            } else if (r.topic().equals(Topics.CONTROL_KEYS.name())) {
                applyKey(r.key(), r.value());
            } else if (r.topic().equals(Topics.CONTROL_PROGRAMS.name())) {
                applyProgram(r.key(), r.value());
            } else {
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Skipping unreadable control record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return false;
        }
    }

    private void applySpace(String slug, byte[] value) {
        if (value == null) {
            spaces.remove(slug);
            return;
        }
        Space s = ControlJson.space(value);
        if (!s.slug().equals(slug)) {
            throw new IllegalArgumentException("key and slug differ");
        }
        spaces.put(slug, s);
    }

    private void applyKey(String id, byte[] value) {
        decrypted.remove(id);
        ApiKeyRecord previous;
        if (value == null) {
            previous = keys.remove(id);
        } else {
            ApiKeyRecord k = ControlJson.key(value);
            if (!k.id().equals(id)) {
                throw new IllegalArgumentException("key and id differ");
            }
            previous = keys.put(id, k);
            keyIdByHash.put(k.lookupHash(), id);
            if (previous != null && previous.lookupHash().equals(k.lookupHash())) {
                return;
            }
        }
        if (previous != null) {
            keyIdByHash.remove(previous.lookupHash(), id);
        }
    }

    private void applyProgram(String key, byte[] value) {
        int colon = key.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bad program key");
        }
        String slug = key.substring(0, colon);
        long version = Long.parseLong(key.substring(colon + 1));
        if (value == null) {
            NavigableMap<Long, ProgramVersion> versions = programs.get(slug);
            if (versions != null) {
                versions.remove(version);
            }
            return;
        }
        ProgramVersion p = ControlJson.program(value);
        if (!p.space().equals(slug) || p.version() != version) {
            throw new IllegalArgumentException("key and value differ");
        }
        programs.computeIfAbsent(slug, s -> new ConcurrentSkipListMap<>()).put(version, p);
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

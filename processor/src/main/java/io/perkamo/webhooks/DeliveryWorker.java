package io.perkamo.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.Environment;
import io.perkamo.control.Space;
import io.perkamo.control.WebhookEndpoint;
import io.perkamo.control.WebhookEndpoints;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.PerkamoHeaders;
import io.perkamo.topics.TopicAdmin;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WebhookDelivery;
import io.perkamo.topics.WebhookDelivery.Status;
import io.perkamo.topics.WebhookDeliveryJson;
import io.perkamo.topics.WireFormats;

/**
 * The webhook sender: reads the outcomes topics of the Spaces that have endpoints, creates one
 * delivery per (endpoint, outcome) the endpoint wants, POSTs it, and retries it on the schedule.
 *
 * <p>Work is shared by a consumer group over the outcomes topics: an instance delivers the
 * outcomes of the partitions it is assigned, and a partition has one owner at a time. Each
 * delivery's state changes are appended to the Space's delivery log, on the partition of the
 * outcome. The group's committed offset of an outcome partition only moves past an outcome once
 * the creation records of its deliveries are acknowledged, so after a crash an outcome is either
 * read again (its deliveries get the same ids: they are derived from where the outcome is) or
 * its deliveries are in the log. A new owner of a partition first reads that partition of the
 * log from the beginning: deliveries still pending or retrying are resumed, those already
 * decided are not made again. An owner giving a partition up (a rebalance, a shutdown) first
 * lets its requests in flight finish and records them, so in normal operation no outcome is
 * delivered twice; after a crash, an attempt whose result was not recorded is made again, with
 * the same delivery id (at least once).
 *
 * <p>One thread owns all of the state; requests are asynchronous (Jetty's client) and their
 * answers come back through a queue. A slow endpoint only fills its own queue: at most
 * {@link WebhookSettings#maxInFlightPerEndpoint} requests in flight per endpoint, other
 * endpoints and Spaces go on, and the fold never waits for any of it.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(2);
    private static final Duration RESTART_PAUSE = Duration.ofSeconds(2);
    private static final Duration AWAIT_ANSWER = Duration.ofMillis(5);

    private final String bootstrap;
    private final String groupId;
    private final ControlPlane control;
    private final WireFormats formats;
    private final WebhookSettings settings;
    private final RetrySchedule schedule;
    private final Thread thread;
    private final ExecutorService controlWrites;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final SplittableRandom random = new SplittableRandom();
    private volatile boolean running = true;
    private volatile boolean controlChanged = true;

    // ---- the worker thread's state (one run of the loop; rebuilt after a restart)
    private KafkaConsumer<byte[], byte[]> outcomes;
    private KafkaConsumer<String, byte[]> logReader;
    private KafkaProducer<String, byte[]> logWriter;
    private InputLookup inputs;
    private HttpSender sender;
    private Deserializer<Outcome> outcomeReader;
    private final Map<TopicPartition, Owned> owned = new HashMap<>();
    private final Map<TopicPartition, Owned> ownedByLog = new HashMap<>();
    private final Map<String, EndpointQueue> queues = new HashMap<>();
    private final PriorityQueue<Live> scheduled = new PriorityQueue<>((a, b) -> a.due.compareTo(b.due));
    private final Set<String> disabledHere = new HashSet<>();
    private Map<String, List<WebhookEndpoint>> endpointsBySpace = Map.of();
    private Set<String> subscribed = Set.of();
    private long nextCommit;
    private long nextRefresh;
    /** Requests in flight, all endpoints. */
    private int inFlight;

    private DeliveryWorker(String bootstrap, String groupId, ControlPlane control, WireFormats formats,
                           WebhookSettings settings) {
        this.bootstrap = bootstrap;
        this.groupId = groupId;
        this.control = control;
        this.formats = formats;
        this.settings = settings;
        this.schedule = new RetrySchedule(settings);
        this.controlWrites = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "perkamo-webhooks-control");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::supervise, "perkamo-webhooks");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the sender of an instance.
     *
     * @param groupId the consumer group the instances of one deployment share
     */
    public static DeliveryWorker start(String bootstrap, String groupId, ControlPlane control, WireFormats formats,
                                       WebhookSettings settings) {
        DeliveryWorker worker = new DeliveryWorker(bootstrap, groupId, control, formats, settings);
        control.onChange(() -> worker.controlChanged = true);
        worker.thread.start();
        log.info("Webhook sender started (group {}, {} attempts at most, {} ms timeout)", groupId,
                settings.maxAttempts(), settings.attemptTimeout().toMillis());
        return worker;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(settings.attemptTimeout().toMillis() + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        controlWrites.shutdown();
    }

    // ---- lifecycle

    private void supervise() {
        while (running) {
            try {
                open();
                loop();
                giveUpAll(true);
            } catch (RuntimeException e) {
                if (running) {
                    log.error("Webhook sender failed; it restarts from the delivery log in {} s",
                            RESTART_PAUSE.toSeconds(), e);
                }
                giveUpAll(false);
            } finally {
                closeClients();
            }
            if (running) {
                sleep(RESTART_PAUSE.toMillis());
            }
        }
    }

    private void open() {
        Map<String, Object> oc = KafkaClients.consumerConfig(bootstrap, "perkamo-webhooks-outcomes");
        oc.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        oc.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        oc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        oc.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        outcomes = KafkaClients.consumer(oc, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> lc = KafkaClients.consumerConfig(bootstrap, "perkamo-webhooks-log");
        lc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        lc.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        logReader = KafkaClients.consumer(lc, Topics.WEBHOOK_DELIVERIES.keySerde().deserializer(),
                new ByteArrayDeserializer());
        Map<String, Object> pc = KafkaClients.producerConfig(bootstrap, "perkamo-webhooks-log-writer");
        pc.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        pc.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        logWriter = KafkaClients.producer(pc, new StringSerializer(), new org.apache.kafka.common.serialization
                .ByteArraySerializer());
        inputs = new InputLookup(bootstrap, formats, "perkamo-webhooks-inputs");
        sender = new HttpSender(settings.attemptTimeout(), settings.maxInFlightPerEndpoint());
        outcomeReader = Topics.OUTCOMES.valueSerde(formats).deserializer();
        subscribed = Set.of();
        controlChanged = true;
        nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
        nextRefresh = 0;
    }

    private void closeClients() {
        for (AutoCloseable c : new AutoCloseable[] {outcomes, logReader, inputs, sender}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("closing: {}", e.toString());
                }
            }
        }
        if (logWriter != null) {
            logWriter.close(Duration.ofSeconds(5));
        }
        outcomes = null;
        logReader = null;
        inputs = null;
        sender = null;
        logWriter = null;
        owned.clear();
        ownedByLog.clear();
        queues.clear();
        scheduled.clear();
        completions.clear();
        inFlight = 0;
    }

    // ---- the loop

    private void loop() {
        while (running) {
            long now = System.nanoTime();
            if (controlChanged || now >= nextRefresh) {
                refresh();
                nextRefresh = now + REFRESH_EVERY.toNanos();
            }
            readLog();
            readOutcomes();
            moveDue();
            dispatch();
            awaitCompletions();
            if (System.nanoTime() >= nextCommit) {
                commit(false, owned.keySet());
                nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
            }
        }
    }

    /** The Spaces with endpoints: the outcomes topics to read (each with its delivery log ready). */
    private void refresh() {
        controlChanged = false;
        Map<String, List<WebhookEndpoint>> bySpace = new HashMap<>();
        for (WebhookEndpoint e : control.webhooks()) {
            if (control.space(e.space()).isPresent()) {
                bySpace.computeIfAbsent(e.space(), s -> new ArrayList<>()).add(e);
            }
        }
        endpointsBySpace = bySpace;
        // a 410 disables here at once; once the control plane shows it disabled, it decides again
        disabledHere.removeIf(id -> control.webhook(id).map(e -> !e.enabled()).orElse(true));
        Set<String> spaces = new TreeSet<>(bySpace.keySet());
        if (spaces.equals(subscribed)) {
            return;
        }
        Set<String> added = new TreeSet<>(spaces);
        added.removeAll(subscribed);
        for (String space : added) {
            ensureLog(space);
        }
        subscribed = spaces;
        if (spaces.isEmpty()) {
            outcomes.unsubscribe();
        } else {
            outcomes.subscribe(spaces.stream().map(Topics.OUTCOMES::name).toList(), new Rebalance());
        }
        log.info("Webhook sender reads the outcomes of {} Space(s)", spaces.size());
    }

    private void ensureLog(String space) {
        try (var admin = KafkaClients.admin(bootstrap, "perkamo-webhooks-admin")) {
            String outcomesTopic = Topics.OUTCOMES.name(space);
            int partitions = admin.describeTopics(List.of(outcomesTopic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(outcomesTopic).partitions().size();
            TopicAdmin.ensureSpaceTopic(admin, Topics.WEBHOOK_DELIVERIES, space, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the delivery log of Space " + space + ": " + e, e);
        }
    }

    /**
     * How long to wait for outcomes. Not at all while requests are in flight: the loop waits for
     * their answers instead ({@link #awaitCompletions}), so an answer frees its slot at once
     * rather than after a poll.
     */
    private Duration pollTimeout() {
        if (inFlight > 0 || !completions.isEmpty()) {
            return Duration.ZERO;
        }
        if (owned.values().stream().anyMatch(o -> !o.ready)) {
            return Duration.ofMillis(5);
        }
        Live next = scheduled.peek();
        long ms = next == null ? 100 : Math.max(1, Math.min(100, Duration.between(Instant.now(), next.due).toMillis()));
        return Duration.ofMillis(ms);
    }

    private void readOutcomes() {
        if (subscribed.isEmpty()) {
            sleep(pollTimeout().toMillis());
            return;
        }
        ConsumerRecords<byte[], byte[]> records = outcomes.poll(pollTimeout());
        if (controlChanged && !records.isEmpty()) {
            // an endpoint added while we polled must see the outcomes that poll brought
            refresh();
        }
        for (TopicPartition tp : records.partitions()) {
            Owned o = owned.get(tp);
            if (o == null || !o.ready) {
                continue; // cannot happen: a partition is paused until its log is read
            }
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                outcome(o, r);
            }
        }
    }

    private void outcome(Owned o, ConsumerRecord<byte[], byte[]> r) {
        List<WebhookEndpoint> endpoints = endpointsBySpace.getOrDefault(o.space, List.of());
        Instant decidedAt = Instant.ofEpochMilli(r.timestamp());
        List<WebhookEndpoint> live = new ArrayList<>();
        for (WebhookEndpoint e : endpoints) {
            // an endpoint gets the outcomes decided since it was created
            if (e.enabled() && !disabledHere.contains(e.id()) && !decidedAt.isBefore(e.createdAt())) {
                live.add(e);
            }
        }
        if (live.isEmpty() || r.value() == null) {
            return;
        }
        Outcome outcome;
        try {
            outcome = outcomeReader.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            log.warn("Unreadable outcome at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        Optional<String> type = Payloads.type(outcome);
        if (type.isEmpty()) {
            return;
        }
        String eventId = DeliveryIds.eventId(o.space, r.partition(), r.offset());
        List<WebhookEndpoint> targets = new ArrayList<>();
        for (WebhookEndpoint e : live) {
            String id = DeliveryIds.deliveryId(e.id(), eventId);
            if (e.wants(type.get()) && !o.live.containsKey(id) && !o.settled.containsKey(id)) {
                targets.add(e);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        Optional<Space> space = control.space(o.space);
        if (space.isEmpty()) {
            return;
        }
        String body = Payloads.body(eventId, type.get(), decidedAt, space.get(), outcome, context(o, r));
        Instant now = Instant.now();
        for (WebhookEndpoint e : targets) {
            EndpointQueue q = queue(e.id());
            WebhookDelivery created = new WebhookDelivery(DeliveryIds.deliveryId(e.id(), eventId), eventId, o.space,
                    e.id(), type.get(), Status.PENDING, 0, 0, r.partition(), r.offset(), e.url(), now, now,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(body));
            if (q.waiting >= settings.maxWaitingPerEndpoint()) {
                // bounded memory: the delivery is recorded as failed (and can be resent) instead of queued
                WebhookDelivery full = new WebhookDelivery(created.deliveryId(), eventId, o.space, e.id(),
                        type.get(), Status.FAILED, 0, 0, r.partition(), r.offset(), e.url(), now, now, Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of("backlog_full: " + q.waiting
                        + " deliveries to this endpoint are waiting"), Optional.of(body));
                o.writes.add(new PendingWrite(r.offset(), write(full)));
                o.settled.put(full.deliveryId(), r.offset());
                continue;
            }
            Live d = new Live(o, created, body.getBytes(StandardCharsets.UTF_8), now);
            o.live.put(created.deliveryId(), d);
            q.waiting++;
            q.ready.add(d);
            o.writes.add(new PendingWrite(r.offset(), write(created)));
        }
    }

    private Optional<com.fasterxml.jackson.databind.node.ObjectNode> context(Owned o, ConsumerRecord<byte[], byte[]> r) {
        Header offset = r.headers().lastHeader(PerkamoHeaders.SOURCE_OFFSET);
        Header partition = r.headers().lastHeader(PerkamoHeaders.SOURCE_PARTITION);
        if (offset == null) {
            return Optional.empty(); // an outcome written before outcomes named their input
        }
        try {
            int p = partition == null ? r.partition() : Integer.parseInt(new String(partition.value(),
                    StandardCharsets.US_ASCII));
            long at = Long.parseLong(new String(offset.value(), StandardCharsets.US_ASCII));
            return inputs.context(new TopicPartition(Topics.EVENTS.name(o.space), p), at);
        } catch (RuntimeException e) {
            log.debug("No context for the outcome at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            return Optional.empty();
        }
    }

    // ---- the delivery log

    private void readLog() {
        if (ownedByLog.isEmpty()) {
            return;
        }
        boolean rebuilding = owned.values().stream().anyMatch(o -> !o.ready);
        ConsumerRecords<String, byte[]> records = logReader.poll(rebuilding ? Duration.ofMillis(50) : Duration.ZERO);
        for (ConsumerRecord<String, byte[]> r : records) {
            Owned o = ownedByLog.get(new TopicPartition(r.topic(), r.partition()));
            if (o == null || r.value() == null) {
                continue;
            }
            WebhookDelivery d;
            try {
                d = WebhookDeliveryJson.read(r.value());
            } catch (RuntimeException e) {
                log.warn("Skipping an unreadable delivery record at {}-{}@{}", r.topic(), r.partition(), r.offset());
                continue;
            }
            if (!o.ready) {
                WebhookDelivery before = o.rebuild.get(d.deliveryId());
                if (d.body().isEmpty() && before != null && before.body().isPresent()) {
                    d = new WebhookDelivery(d.deliveryId(), d.eventId(), d.space(), d.endpointId(), d.type(),
                            d.status(), d.attempt(), d.revision(), d.outcomePartition(), d.outcomeOffset(), d.url(),
                            d.createdAt(), d.updatedAt(), d.nextAttemptAt(), d.lastStatusCode(), d.lastDurationMs(),
                            d.lastError(), before.body());
                }
                o.rebuild.put(d.deliveryId(), d);
            } else {
                tail(o, d);
            }
        }
        for (Owned o : owned.values()) {
            if (!o.ready && logReader.position(o.log) >= o.logEnd) {
                resume(o);
            }
        }
    }

    /** Records written since the partition was taken: only resends (a pending record after the first) matter. */
    private void tail(Owned o, WebhookDelivery d) {
        if (d.status() != Status.PENDING || d.revision() == 0) {
            return; // ours, or a creation: known already
        }
        Live known = o.live.get(d.deliveryId());
        if (known != null) {
            if (d.revision() > known.record.revision() && !known.inFlight) {
                known.record = d;
                known.due = Instant.now();
                scheduled.add(known);
            }
            return;
        }
        if (d.body().isEmpty()) {
            log.warn("Resend of {} has no payload; skipped", d.deliveryId());
            return;
        }
        Live l = new Live(o, d, d.body().get().getBytes(StandardCharsets.UTF_8), Instant.now());
        o.live.put(d.deliveryId(), l);
        o.settled.remove(d.deliveryId());
        queue(d.endpointId()).waiting++;
        queue(d.endpointId()).ready.add(l);
    }

    /** The log of the partition is read: resume what was pending, then read its outcomes. */
    private void resume(Owned o) {
        Instant now = Instant.now();
        int resumed = 0;
        for (WebhookDelivery d : o.rebuild.values()) {
            if (d.status().terminal()) {
                if (d.outcomeOffset() >= o.committedAt) {
                    o.settled.put(d.deliveryId(), d.outcomeOffset());
                }
                continue;
            }
            if (d.body().isEmpty()) {
                continue;
            }
            Instant due = d.status() == Status.PENDING ? now : d.nextAttemptAt().orElse(now);
            Live l = new Live(o, d, d.body().get().getBytes(StandardCharsets.UTF_8), due);
            o.live.put(d.deliveryId(), l);
            queue(d.endpointId()).waiting++;
            scheduled.add(l);
            resumed++;
        }
        o.rebuild = null;
        o.ready = true;
        outcomes.resume(List.of(o.outcomes));
        if (resumed > 0) {
            log.info("Resumed {} pending webhook deliveries of {}", resumed, o.outcomes);
        }
    }

    private CompletableFuture<Void> write(WebhookDelivery d) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        logWriter.send(new ProducerRecord<>(Topics.WEBHOOK_DELIVERIES.name(d.space()), d.outcomePartition(),
                d.deliveryId(), WebhookDeliveryJson.bytes(d)), (md, e) -> {
                    if (e == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(e);
                    }
                });
        return done;
    }

    // ---- attempts

    private void moveDue() {
        Instant now = Instant.now();
        while (!scheduled.isEmpty() && !scheduled.peek().due.isAfter(now)) {
            Live d = scheduled.poll();
            if (!d.dropped && !d.inFlight && d.owner.live.get(d.record.deliveryId()) == d) {
                queue(d.record.endpointId()).ready.add(d);
            }
        }
    }

    private void dispatch() {
        for (EndpointQueue q : queues.values()) {
            while (q.inFlight < settings.maxInFlightPerEndpoint() && !q.ready.isEmpty()) {
                Live d = q.ready.poll();
                if (d.dropped || d.inFlight || d.owner.live.get(d.record.deliveryId()) != d || d.owner.closing) {
                    continue;
                }
                attempt(q, d);
            }
        }
    }

    private void attempt(EndpointQueue q, Live d) {
        Optional<WebhookEndpoint> endpoint = control.webhook(d.record.endpointId());
        if (endpoint.isEmpty()) {
            finish(d, Status.FAILED, d.record.attempt(), Optional.empty(), Optional.empty(), "endpoint removed");
            return;
        }
        WebhookEndpoint e = endpoint.get();
        if (!e.enabled() || disabledHere.contains(e.id())) {
            finish(d, Status.FAILED, d.record.attempt(), Optional.empty(), Optional.empty(),
                    "endpoint disabled" + e.disabledReason().map(r -> " (" + r + ")").orElse(""));
            return;
        }
        Optional<String> secret = control.webhookSecret(e);
        if (secret.isEmpty()) {
            finish(d, Status.FAILED, d.record.attempt(), Optional.empty(), Optional.empty(),
                    "the endpoint's secret cannot be opened with this instance's master key");
            return;
        }
        URI uri;
        try {
            uri = URI.create(e.url());
        } catch (IllegalArgumentException ex) {
            finish(d, Status.FAILED, d.record.attempt(), Optional.empty(), Optional.empty(), "invalid url");
            return;
        }
        boolean live = control.space(d.record.space()).map(s -> s.environment() == Environment.LIVE).orElse(true);
        int attempt = d.record.attempt() + 1;
        long timestamp = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "Perkamo-Webhook/1.0");
        headers.put("x-perkamo-delivery", d.record.deliveryId());
        headers.put("x-perkamo-event", d.record.type());
        headers.put("x-perkamo-space", d.record.space());
        headers.put("x-perkamo-attempt", Integer.toString(attempt));
        headers.put("webhook-id", d.record.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", Signatures.sign(secret.get(), d.record.eventId(), timestamp, d.body));
        d.inFlight = true;
        d.url = e.url();
        q.inFlight++;
        d.owner.inFlight++;
        inFlight++;
        sender.post(uri, live, headers, d.body).thenAccept(a -> completions.add(new Completion(d, attempt, a)));
    }

    /** Records the answers that came; with requests in flight and none yet, waits a little for one. */
    private void awaitCompletions() {
        Completion c = completions.poll();
        if (c == null && inFlight > 0) {
            try {
                c = completions.poll(AWAIT_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        while (c != null) {
            completed(c);
            c = completions.poll();
        }
    }

    private void completed(Completion c) {
        Live d = c.delivery;
        d.inFlight = false;
        queue(d.record.endpointId()).inFlight--;
        d.owner.inFlight--;
        inFlight = Math.max(0, inFlight - 1); // an answer to a request sent before a reset (clear) may still come
        if (d.dropped) {
            return;
        }
        HttpSender.Answer a = c.answer;
        Optional<Integer> status = a.answered() ? Optional.of(a.status()) : Optional.empty();
        Optional<Long> ms = Optional.of(a.durationMs());
        if (a.succeeded()) {
            finish(d, Status.SUCCEEDED, c.attempt, status, ms, "");
            return;
        }
        if (a.gone()) {
            String endpointId = d.record.endpointId();
            disabledHere.add(endpointId);
            finish(d, Status.FAILED, c.attempt, status, ms, "HTTP 410 Gone: the endpoint is disabled");
            controlWrites.execute(() -> {
                try {
                    new WebhookEndpoints(control).disable(endpointId, "answered HTTP 410 Gone");
                } catch (RuntimeException e) {
                    log.warn("Could not disable webhook endpoint {}: {}", endpointId, e.getMessage());
                }
            });
            return;
        }
        Optional<Duration> pause = schedule.pauseAfter(c.attempt, random.nextDouble());
        if (pause.isEmpty()) {
            finish(d, Status.FAILED, c.attempt, status, ms, a.error());
            return;
        }
        Instant now = Instant.now();
        Instant next = now.plus(pause.get());
        d.record = d.record.withUrl(d.url).next(Status.RETRYING, c.attempt, now, Optional.of(next), status, ms,
                Optional.of(a.error()), d.record.body());
        d.due = next;
        scheduled.add(d);
        write(d.record);
    }

    private void finish(Live d, Status status, int attempts, Optional<Integer> code, Optional<Long> ms, String error) {
        Instant now = Instant.now();
        WebhookDelivery last = d.record.withUrl(d.url == null ? d.record.url() : d.url).next(status, attempts, now,
                Optional.empty(), code, ms, error.isEmpty() ? Optional.empty() : Optional.of(error), Optional.empty());
        d.record = last;
        write(last);
        Owned o = d.owner;
        o.live.remove(last.deliveryId(), d);
        o.settled.put(last.deliveryId(), last.outcomeOffset());
        queue(last.endpointId()).waiting--;
    }

    // ---- progress and partitions

    /** Commits, per partition, the offset before which every outcome's deliveries are in the log. */
    private void commit(boolean sync, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Owned o = owned.get(tp);
            if (o == null || !o.ready) {
                continue;
            }
            while (!o.writes.isEmpty() && o.writes.peek().done.isDone()) {
                PendingWrite w = o.writes.poll();
                if (w.done.isCompletedExceptionally()) {
                    throw new IllegalStateException("a delivery could not be written to the log of " + tp);
                }
            }
            long at = o.writes.isEmpty() ? outcomes.position(tp) : o.writes.peek().outcomeOffset;
            if (at > o.committedAt) {
                offsets.put(tp, new OffsetAndMetadata(at));
                o.committedAt = at;
                o.settled.values().removeIf(offset -> offset < at);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            outcomes.commitSync(offsets);
        } else {
            outcomes.commitAsync(offsets, (done, e) -> {
                if (e != null) {
                    log.debug("Commit of webhook progress failed (retried next time): {}", e.toString());
                }
            });
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = outcomes.committed(new HashSet<>(partitions));
            List<TopicPartition> logs = new ArrayList<>(ownedByLog.keySet());
            List<Owned> added = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Optional<String> space = Topics.OUTCOMES.spaceOf(tp.topic());
                if (space.isEmpty()) {
                    continue;
                }
                Owned o = new Owned(space.get(), tp);
                OffsetAndMetadata c = committed.get(tp);
                o.committedAt = c == null ? -1 : c.offset();
                owned.put(tp, o);
                ownedByLog.put(o.log, o);
                logs.add(o.log);
                added.add(o);
            }
            outcomes.pause(added.stream().map(o -> o.outcomes).toList());
            logReader.assign(logs);
            List<TopicPartition> newLogs = added.stream().map(o -> o.log).toList();
            logReader.seekToBeginning(newLogs);
            Map<TopicPartition, Long> ends = logReader.endOffsets(newLogs);
            for (Owned o : added) {
                o.logEnd = ends.getOrDefault(o.log, 0L);
                if (o.committedAt < 0) {
                    startAt(o);
                }
            }
            log.info("Webhook sender took {} outcome partition(s)", added.size());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            giveUp(partitions, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            giveUp(partitions, false);
        }
    }

    /** A partition never read before: from the first outcome its Space's oldest endpoint may get. */
    private void startAt(Owned o) {
        Instant from = endpointsBySpace.getOrDefault(o.space, List.of()).stream().map(WebhookEndpoint::createdAt)
                .min(Instant::compareTo).orElse(Instant.now());
        outcomes.seek(o.outcomes, startOffset(outcomes, o.outcomes, from));
    }

    /** The first offset of {@code tp} whose outcome is not older than {@code from}, or the end when none is yet. */
    static long startOffset(Consumer<?, ?> consumer, TopicPartition tp, Instant from) {
        // the end is taken before the lookup: a transaction committing in between is then read from
        // there, where an end taken after the lookup would already be past it
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, from.toEpochMilli())).get(tp);
        return found == null ? end : found.offset();
    }

    /**
     * Gives partitions up: their requests in flight finish and are recorded first (bounded by the
     * attempt timeout), then the progress is committed, so the next owner neither loses nor
     * repeats them. Without {@code orderly} (lost partitions, a failure) nothing is waited for.
     */
    private void giveUp(Collection<TopicPartition> partitions, boolean orderly) {
        List<Owned> leaving = partitions.stream().map(owned::get).filter(o -> o != null).toList();
        if (leaving.isEmpty()) {
            return;
        }
        leaving.forEach(o -> o.closing = true);
        if (orderly) {
            long deadline = System.nanoTime() + settings.attemptTimeout().toNanos() + TimeUnit.SECONDS.toNanos(2);
            while (leaving.stream().anyMatch(o -> o.inFlight > 0) && System.nanoTime() < deadline) {
                try {
                    Completion c = completions.poll(20, TimeUnit.MILLISECONDS);
                    if (c != null) {
                        completed(c);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try {
                logWriter.flush();
                commit(true, partitions);
            } catch (RuntimeException e) {
                log.warn("Could not record the webhook progress of {}: {}", partitions, e.toString());
            }
        }
        for (Owned o : leaving) {
            for (Live d : o.live.values()) {
                d.dropped = true;
                queue(d.record.endpointId()).waiting--;
            }
            owned.remove(o.outcomes);
            ownedByLog.remove(o.log);
        }
        if (logReader != null) {
            logReader.assign(new ArrayList<>(ownedByLog.keySet()));
        }
        queues.values().forEach(q -> q.ready.removeIf(d -> d.dropped));
        scheduled.removeIf(d -> d.dropped);
    }

    private void giveUpAll(boolean orderly) {
        if (outcomes == null || owned.isEmpty()) {
            return;
        }
        try {
            giveUp(new ArrayList<>(owned.keySet()), orderly);
        } catch (RuntimeException e) {
            log.debug("giving up: {}", e.toString());
        }
    }

    private EndpointQueue queue(String endpointId) {
        return queues.computeIfAbsent(endpointId, id -> new EndpointQueue());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- state records

    /** An outcome partition this instance delivers, with the matching partition of the delivery log. */
    private static final class Owned {
        final String space;
        final TopicPartition outcomes;
        final TopicPartition log;
        final Map<String, Live> live = new HashMap<>();
        /** Deliveries decided (or recorded) whose outcome is at or after the committed offset. */
        final Map<String, Long> settled = new HashMap<>();
        final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
        Map<String, WebhookDelivery> rebuild = new HashMap<>();
        long logEnd;
        long committedAt = -1;
        int inFlight;
        boolean ready;
        boolean closing;

        Owned(String space, TopicPartition outcomes) {
            this.space = space;
            this.outcomes = outcomes;
            this.log = new TopicPartition(Topics.WEBHOOK_DELIVERIES.name(space), outcomes.partition());
        }
    }

    /** A delivery not decided yet. */
    private static final class Live {
        final Owned owner;
        final byte[] body;
        WebhookDelivery record;
        Instant due;
        String url;
        boolean inFlight;
        boolean dropped;

        Live(Owned owner, WebhookDelivery record, byte[] body, Instant due) {
            this.owner = owner;
            this.record = record;
            this.body = body;
            this.due = due;
        }
    }

    private static final class EndpointQueue {
        final ArrayDeque<Live> ready = new ArrayDeque<>();
        int inFlight;
        /** Undecided deliveries of this endpoint held here: queued, in flight or scheduled. */
        int waiting;
    }

    private record PendingWrite(long outcomeOffset, CompletableFuture<Void> done) {
    }

    private record Completion(Live delivery, int attempt, HttpSender.Answer answer) {
    }
}

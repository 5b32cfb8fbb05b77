package io.perkamo.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.replay.AuditReport;
import io.perkamo.replay.Limits;
import io.perkamo.replay.Progress;
import io.perkamo.replay.Replay;
import io.perkamo.replay.Window;
import io.perkamo.topics.Topics;
import io.perkamo.topics.TopicReadiness;
import io.perkamo.stream.StoreNames;
import io.perkamo.testing.ChildJvm;

/**
 * The benchmark driver behind scripts/bench. Against a broker that runs in its own process:
 * (a) a trivial EOS count app and (b) the Perkamo processor (a `perkamo run
 * --bootstrap-servers` process) over the same generated records, end to end; (c) synchronous
 * HTTP ingest and (d) profile reads at fixed offered rates, open-loop; (e) the pure fold under
 * JMH. Prints a markdown table and, last, one JSON line.
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPACE = "bench";
    /** Ingest answers take 100-500 ms: at 1,000 req/s several hundred are in flight. */
    private static final int INGEST_CONNECTIONS = 768;
    /** Reads answer in about a millisecond; room for bursts after a pause of the server. */
    private static final int READ_CONNECTIONS = 128;

    private final Map<String, String> opts;
    private final Path work;
    private final String bootstrap;
    private final Map<String, Object> result = new LinkedHashMap<>();

    private Bench(Map<String, String> opts) {
        this.opts = opts;
        this.work = Path.of(opts.get("work"));
        this.bootstrap = opts.get("bootstrap");
    }

    private int intOpt(String name, int fallback) {
        return opts.containsKey(name) ? Integer.parseInt(opts.get(name)) : fallback;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
                opts.put(args[i].substring(2), flag ? "true" : args[++i]);
            }
        }
        Bench bench = new Bench(opts);
        try {
            bench.runAll();
        } finally {
            System.out.flush();
        }
        System.exit(0);
    }

    private void runAll() throws Exception {
        boolean quick = opts.containsKey("quick");
        String only = opts.getOrDefault("only", "all");
        int records = intOpt("records", quick ? 150_000 : 1_000_000);
        int warmup = intOpt("warmup", quick ? 30_000 : 100_000);
        int users = intOpt("users", 10_000);
        int threads = intOpt("threads", 1);
        int httpSeconds = intOpt("http-seconds", quick ? 8 : 30);
        result.put("mode", quick ? "quick" : "full");
        result.put("loadavg_at_start", loadAverage());
        result.put("records", records);
        result.put("users", users);
        result.put("stream_threads", threads);
        log("generating %,d records (+%,d warm-up) for %,d users", records, warmup, users);
        BenchData data = BenchData.generate(users, warmup + records, 42);

        if (only.equals("all") || only.contains("stream") || only.contains("http") || only.contains("replay")
                || only.contains("webhooks")) {
            String key = setUpSpace();
            if (only.equals("all") || only.contains("stream")) {
                double count = countBaseline(data, warmup, threads);
                result.put("count_app_events_per_s", Math.round(count));
            }
            try (ChildJvm node = startPerkamo(threads)) {
                if (only.equals("all") || only.contains("stream")) {
                    double perkamo = perkamoThroughput(data, warmup);
                    result.put("events_per_s", Math.round(perkamo));
                    if (result.containsKey("count_app_events_per_s")) {
                        result.put("throughput_ratio_vs_count_app",
                                round(perkamo / ((Number) result.get("count_app_events_per_s")).doubleValue(), 3));
                    }
                }
                if (only.equals("all") || only.contains("replay")) {
                    if (!result.containsKey("events_per_s")) {
                        perkamoThroughput(data, warmup); // untimed here: the replay needs the live log
                        result.put("events_per_s_untimed", true);
                    }
                    replay();
                }
                if (only.equals("all") || only.contains("stream")) {
                    double shape = ioShapeBaseline(data, warmup, threads);
                    result.put("io_shape_app_events_per_s", Math.round(shape));
                    result.put("throughput_ratio_vs_io_shape_app",
                            round(((Number) result.get("events_per_s")).doubleValue() / shape, 3));
                }
                if (only.equals("all") || only.contains("webhooks")) {
                    webhooks(data, Math.min(data.size() - warmup, intOpt("webhook-records", quick ? 50_000 : 200_000)));
                }
                if (only.equals("all") || only.contains("http")) {
                    if (!result.containsKey("events_per_s") && !result.containsKey("events_per_s_untimed")) {
                        perkamoThroughput(data, warmup); // untimed here: the reads need the profiles
                    }
                    http(key, data, httpSeconds);
                }
            }
        }
        if (only.equals("all") || only.contains("fold")) {
            result.put("fold_events_per_s", Math.round(fold(quick)));
        }
        report();
    }

    // ---- setup -------------------------------------------------------------------------------

    private String setUpSpace() throws Exception {
        MasterKey master = MasterKey.fromBase64(masterKeyBase64());
        try (ControlPlane cp = ControlPlane.start(bootstrap, master)) {
            new SpaceAdmin(cp).create(SPACE, "test", Optional.empty(), 6);
            String key = new ApiKeys(cp).create(SPACE, ApiKeyRecord.Kind.SERVER, ApiKeys.SERVER_SCOPES).plaintext();
            ObjectNode program = (ObjectNode) new YAMLMapper().readTree(FoldBenchmark.demoProgram());
            new ProgramStore(cp).publish(SPACE, program, Instant.parse("2023-01-01T00:00:00Z"));
            return key;
        }
    }

    private String masterKeyBase64() throws Exception {
        Path file = work.resolve("master.key");
        if (!Files.exists(file)) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            Files.writeString(file, Base64.getEncoder().encodeToString(b));
        }
        return Files.readString(file).trim();
    }

    private ChildJvm startPerkamo(int threads) throws Exception {
        // the shipped logging configuration, not the test one that the test class path would pick
        // (root at INFO: an access-log line per request, which `perkamo run` does not write)
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g", "-Dlogback.configurationFile=logback.xml"));
        if (opts.containsKey("jfr")) {
            jvm.add("-XX:StartFlightRecording=filename=" + opts.get("jfr") + "/perkamo.jfr,settings=profile");
        }
        List<String> args = new ArrayList<>(List.of("run", "--bootstrap-servers", bootstrap,
                "--port", opts.getOrDefault("api-port", "4101"), "--application-id", "bench",
                "--state-dir", work.resolve("perkamo-state").toString(), "--threads", Integer.toString(threads)));
        // --streams-property k=v[,k=v...]: Streams settings for the perkamo process (e.g. commit.interval.ms=50)
        if (opts.containsKey("streams-property")) {
            for (String kv : opts.get("streams-property").split(",")) {
                args.add("--streams-property");
                args.add(kv.trim());
            }
            result.put("perkamo_streams_properties", opts.get("streams-property"));
        }
        ChildJvm node = ChildJvm.start("perkamo", jvm, "io.perkamo.cli.PerkamoCli", args,
                Map.of(MasterKey.ENV, masterKeyBase64(), "PERKAMO_HOME", work.resolve("home").toString()),
                work.resolve("perkamo.log"));
        node.awaitLine("Perkamo is ready", Duration.ofMinutes(3));
        log("perkamo run started (pid %d)", node.pid());
        return node;
    }

    // ---- (a) and (b): end to end throughput ---------------------------------------------------

    private double countBaseline(BenchData data, int warmup, int threads) throws Exception {
        String in = "bench-count-in";
        String out = "bench-count-out";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(in, 6, (short) 1), new NewTopic(out, 6, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
            TopicReadiness.awaitReady(admin, List.of(in, out), Duration.ofSeconds(30));
        }
        try (ChildJvm app = ChildJvm.start("count-app", List.of("-Xmx2g"), CountApp.class.getName(),
                List.of(bootstrap, in, out, work.resolve("count-state").toString(), Integer.toString(threads)),
                Map.of(), work.resolve("count-app.log"));
             Tally tally = Tally.counts(bootstrap, out)) {
            app.awaitLine("RUNNING", Duration.ofMinutes(2));
            log("count app running; warm-up");
            produceAndWait(data, 0, warmup, in, tally, warmup);
            long t0 = System.nanoTime();
            long t1 = produceAndWait(data, warmup, data.size(), in, tally, data.size());
            double rate = (data.size() - warmup) / ((t1 - t0) / 1e9);
            log("count app: %,d records in %.2f s = %,.0f rec/s, load %.1f", data.size() - warmup, (t1 - t0) / 1e9,
                    rate, loadAverage());
            return rate;
        }
    }

    private double perkamoThroughput(BenchData data, int warmup) throws Exception {
        return perkamoThroughput(data, warmup, data.size(), SPACE);
    }

    /** Records [0, warmup) untimed, then [warmup, to) timed, into {@code space}'s events topic. */
    private double perkamoThroughput(BenchData data, int warmup, int to, String space) throws Exception {
        String events = Topics.EVENTS.name(space);
        try (Tally tally = Tally.records(bootstrap, List.of(Topics.OUTCOMES.name(space), Topics.DLQ.name(space)))) {
            log("perkamo: warm-up");
            produceAndWait(data, 0, warmup, events, tally, warmup);
            long t0 = System.nanoTime();
            long t1 = produceAndWait(data, warmup, to, events, tally, to);
            double rate = (to - warmup) / ((t1 - t0) / 1e9);
            log("perkamo (%s): %,d records in %.2f s = %,.0f events/s (first produce to last outcome), load %.1f",
                    space, to - warmup, (t1 - t0) / 1e9, rate, loadAverage());
            return rate;
        }
    }

    // ---- (b'') webhooks ------------------------------------------------------------------------

    /**
     * The processor's throughput on a Space with one webhook endpoint (every event, a local
     * receiver answering 204) against a Space with none, one after the other on the same running
     * instance and the same records; and the deliveries per second the receiver saw, first to last.
     */
    private void webhooks(BenchData data, int records) throws Exception {
        int warm = Math.min(5_000, records / 10);
        String plain = SPACE + "-nohooks";
        String hooked = SPACE + "-hooked";
        AtomicLong received = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 256);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            first.compareAndSet(0, now);
            last.set(now);
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            MasterKey master = MasterKey.fromBase64(masterKeyBase64());
            try (ControlPlane cp = ControlPlane.start(bootstrap, master)) {
                ObjectNode program = (ObjectNode) new YAMLMapper().readTree(FoldBenchmark.demoProgram());
                for (String space : List.of(plain, hooked)) {
                    new SpaceAdmin(cp).create(space, "test", Optional.empty(), 6);
                    new ProgramStore(cp).publish(space, program, Instant.parse("2023-01-01T00:00:00Z"));
                }
                new io.perkamo.control.WebhookEndpoints(cp).create(hooked,
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", List.of());
            }
            Thread.sleep(5_000); // the sender picks up new endpoints every 2 s
            double none = perkamoThroughput(data, warm, warm + records, plain);
            double one = perkamoThroughput(data, warm, warm + records, hooked);
            // the deliveries go on after the last outcome: wait until the receiver has been idle for 5 s
            long seen = -1;
            while (seen != received.get()) {
                seen = received.get();
                Thread.sleep(5_000);
            }
            double deliveries = seen / Math.max(1e-9, (last.get() - first.get()) / 1e9);
            log("webhooks: %,.0f events/s with one endpoint vs %,.0f with none (ratio %.3f); %,d deliveries at %,.0f/s",
                    one, none, one / none, seen, deliveries);
            result.put("events_per_s_no_webhooks", Math.round(none));
            result.put("events_per_s_one_webhook", Math.round(one));
            result.put("throughput_ratio_one_webhook_vs_none", round(one / none, 3));
            result.put("webhook_deliveries", seen);
            result.put("webhook_deliveries_per_s", Math.round(deliveries));
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * (a') The same data through {@link IoShapeApp}: Perkamo's reads, writes and emitted records
     * per input, of the average sizes the Perkamo run just wrote, without its logic.
     */
    private double ioShapeBaseline(BenchData data, int warmup, int threads) throws Exception {
        int outcome = averageValueBytes(Topics.OUTCOMES.name(SPACE));
        int profile = averageValueBytes(Topics.PROFILES.name(SPACE));
        int storedProfile = averageValueBytes("bench-" + StoreNames.PROFILES + "-changelog");
        int storedDecision = averageValueBytes("bench-" + StoreNames.DECISIONS + "-changelog");
        result.put("io_shape_bytes", Map.of("outcome", outcome, "profile", profile, "stored_profile", storedProfile,
                "stored_decision", storedDecision));
        String in = "bench-shape-in";
        String outcomes = "bench-shape-outcomes";
        String profiles = "bench-shape-profiles";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(in, 6, (short) 1), new NewTopic(outcomes, 6, (short) 1),
                    new NewTopic(profiles, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            TopicReadiness.awaitReady(admin, List.of(in, outcomes, profiles), Duration.ofSeconds(30));
        }
        List<String> args = List.of(bootstrap, in, outcomes, profiles, work.resolve("shape-state").toString(),
                Integer.toString(threads), Integer.toString(outcome), Integer.toString(profile),
                Integer.toString(storedProfile), Integer.toString(storedDecision));
        try (ChildJvm app = ChildJvm.start("io-shape-app", List.of("-Xmx2g"), IoShapeApp.class.getName(), args,
                Map.of(), work.resolve("io-shape-app.log"));
             Tally tally = Tally.records(bootstrap, List.of(outcomes))) {
            app.awaitLine("RUNNING", Duration.ofMinutes(2));
            log("I/O-shape app running (outcome %d B, profile %d B, stored profile %d B, stored decision %d B); warm-up",
                    outcome, profile, storedProfile, storedDecision);
            produceAndWait(data, 0, warmup, in, tally, warmup);
            long t0 = System.nanoTime();
            long t1 = produceAndWait(data, warmup, data.size(), in, tally, data.size());
            double rate = (data.size() - warmup) / ((t1 - t0) / 1e9);
            log("I/O-shape app: %,d records in %.2f s = %,.0f rec/s, load %.1f", data.size() - warmup,
                    (t1 - t0) / 1e9, rate, loadAverage());
            return rate;
        }
    }

    // ---- (e): replay -------------------------------------------------------------------------

    /**
     * {@code perkamo replay}'s audit of the whole events topic (warm-up included) against the
     * live profiles, then a plain read_committed consume of the same topic: the replay's cost
     * over the read alone.
     */
    private void replay() throws Exception {
        Replay.Options options = new Replay.Options(Window.ALL, Duration.ofDays(30),
                Runtime.getRuntime().availableProcessors(), Limits.NONE);
        long t0 = System.nanoTime();
        AuditReport audit = Replay.audit(bootstrap, SPACE, Optional.empty(), "bench", options, Progress.silent());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = audit.records() / seconds;
        log("replay (audit): %,d records, %,d inputs, %,d users, %d differing, in %.2f s = %,.0f records/s, load %.1f",
                audit.records(), audit.inputs(), audit.users(), audit.differingUsers().size(), seconds, rate,
                loadAverage());
        if (!audit.clean()) {
            throw new IllegalStateException("the replay found differences: " + audit.differingUsers().subList(0,
                    Math.min(5, audit.differingUsers().size())));
        }
        long t1 = System.nanoTime();
        long consumed = consumeAll(Topics.EVENTS.name(SPACE));
        double consumeRate = consumed / ((System.nanoTime() - t1) / 1e9);
        log("plain read_committed consume: %,d records = %,.0f records/s", consumed, consumeRate);
        result.put("replay_records", audit.records());
        result.put("replay_seconds", round(seconds, 2));
        result.put("replay_events_per_s", Math.round(rate));
        result.put("consume_events_per_s", Math.round(consumeRate));
        result.put("replay_ratio_vs_consume", round(rate / consumeRate, 3));
    }

    /** Reads a topic from its start to its end now (read_committed), counting records. */
    private long consumeAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", false, "max.poll.records", 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long count = 0;
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    /** The mean value size of up to 5,000 committed records from the start of a topic. */
    private int averageValueBytes(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", false, "max.poll.records", 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long bytes = 0;
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count < 5000 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        bytes += r.value().length;
                        count++;
                    }
                }
            }
            if (count == 0) {
                throw new IllegalStateException("no records on " + topic + " to size the I/O-shape baseline");
            }
            return (int) (bytes / count);
        }
    }

    /** Produces records [from, to) and returns the time the tally reached {@code expected}. */
    private long produceAndWait(BenchData data, int from, int to, String topic, Tally tally, long expected)
            throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "compression.type", "lz4", "linger.ms", 5, "batch.size", 131072, "enable.idempotence", true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, data.keys[i], data.values[i]));
            }
            producer.flush();
        }
        return tally.awaitAtLeast(expected, Duration.ofMinutes(10));
    }

    /** Counts what a read_committed consumer sees on some topics, from their current end on. */
    static final class Tally implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private final AtomicLong total = new AtomicLong();
        private final boolean sumCounts;
        private final Map<String, Long> latest = new HashMap<>();
        private volatile long reachedAt;
        private volatile long target = Long.MAX_VALUE;
        private volatile boolean running = true;

        private Tally(String bootstrap, List<String> topics, boolean sumCounts) {
            this.sumCounts = sumCounts;
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed",
                    "enable.auto.commit", false, "max.poll.records", 5000), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
            }
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            thread = new Thread(this::loop, "bench-tally");
            thread.setDaemon(true);
            thread.start();
        }

        static Tally records(String bootstrap, List<String> topics) {
            return new Tally(bootstrap, topics, false);
        }

        /** The sum of the latest count per key (the count app's output). */
        static Tally counts(String bootstrap, String topic) {
            return new Tally(bootstrap, List.of(topic), true);
        }

        private void loop() {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (sumCounts) {
                        long count = java.nio.ByteBuffer.wrap(r.value()).getLong();
                        Long before = latest.put(new String(r.key(), StandardCharsets.UTF_8), count);
                        total.addAndGet(count - (before == null ? 0 : before));
                    } else {
                        total.incrementAndGet();
                    }
                }
                if (total.get() >= target && reachedAt == 0) {
                    reachedAt = System.nanoTime();
                }
            }
            consumer.close();
        }

        long awaitAtLeast(long expected, Duration timeout) throws InterruptedException {
            reachedAt = 0;
            target = expected;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (reachedAt == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("saw " + total.get() + " of " + expected + " within " + timeout);
                }
                Thread.sleep(5);
            }
            return reachedAt;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    // ---- (c) and (d): HTTP -------------------------------------------------------------------

    private void http(String key, BenchData data, int seconds) throws Exception {
        InetSocketAddress server = new InetSocketAddress("localhost", Integer.parseInt(opts.getOrDefault("api-port", "4101")));
        Duration warm = Duration.ofSeconds(2);
        SplittableRandom random = new SplittableRandom(7);
        Map<String, String> postHeaders = Map.of("x-perkamo-api-key", key, "content-type", "application/json");
        Map<String, Object> ingest = new LinkedHashMap<>();
        int run = 0;
        for (int rate : List.of(200, 500, 1000)) {
            int r = run++;
            OpenLoop.Result res = OpenLoop.run(server, INGEST_CONNECTIONS, i -> {
                String user = data.users[(i * 31 + r) % data.users.length];
                String body = i % 2 == 0
                        ? "{\"user_id\":\"" + user + "\",\"event\":\"purchase.completed\",\"transaction_id\":\"http-" + r
                          + "-" + i + "\",\"context\":{\"amount\":12900,\"currency\":\"CZK\"}}"
                        : "{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\",\"transaction_id\":\"http-" + r
                          + "-" + i + "\",\"context\":{\"lesson\":\"l-1\"}}";
                return OpenLoop.post(server, "/v1/events", postHeaders, body.getBytes(StandardCharsets.UTF_8));
            }, 200, rate, Duration.ofSeconds(seconds), warm);
            log("ingest at %d req/s: %s", rate, res);
            ingest.put(Integer.toString(rate), figures(res));
        }
        result.put("ingest", ingest);
        Map<String, String> getHeaders = Map.of("x-perkamo-api-key", key);
        Map<String, Object> reads = new LinkedHashMap<>();
        for (int rate : List.of(1000, 5000)) {
            OpenLoop.Result res = OpenLoop.run(server, READ_CONNECTIONS, i -> OpenLoop.get(server,
                            "/v1/customer/" + data.users[random.nextInt(data.users.length)], getHeaders),
                    200, rate, Duration.ofSeconds(seconds), warm);
            log("reads at %d req/s: %s", rate, res);
            reads.put(Integer.toString(rate), figures(res));
        }
        result.put("reads", reads);
        @SuppressWarnings("unchecked")
        Map<String, Object> at1000 = (Map<String, Object>) ingest.get("1000");
        @SuppressWarnings("unchecked")
        Map<String, Object> at5000 = (Map<String, Object>) reads.get("5000");
        result.put("ingest_p50_ms", at1000.get("p50_ms"));
        result.put("ingest_p99_ms", at1000.get("p99_ms"));
        result.put("read_p50_ms", at5000.get("p50_ms"));
        result.put("read_p99_ms", at5000.get("p99_ms"));
    }

    private static Map<String, Object> figures(OpenLoop.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50_ms", round(r.p50Ms(), 2));
        m.put("p99_ms", round(r.p99Ms(), 2));
        m.put("max_ms", round(r.maxMs(), 2));
        m.put("measured", r.sent());
        m.put("ok", r.ok());
        m.put("failed", r.failed());
        return m;
    }

    // ---- (e): the pure fold --------------------------------------------------------------------

    private double fold(boolean quick) throws Exception {
        OptionsBuilder o = new OptionsBuilder();
        o.include(FoldBenchmark.class.getName() + ".decide").forks(1)
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(quick ? 3 : 5))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 3 : 5))
                .jvmArgsAppend("-Xmx1g");
        if (opts.containsKey("jfr")) {
            o.jvmArgsAppend("-XX:StartFlightRecording=filename=" + opts.get("jfr") + "/fold.jfr,settings=profile");
        }
        RunResult r = new Runner(o.build()).runSingle();
        return r.getPrimaryResult().getScore();
    }

    // ---- report ----------------------------------------------------------------------------------

    private void report() throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("| measure | value |\n|---|---|\n");
        row(md, "count app (EOS v2, RocksDB), records/s", result.get("count_app_events_per_s"));
        row(md, "Perkamo processor, events/s end to end", result.get("events_per_s"));
        row(md, "ratio to the count app", result.get("throughput_ratio_vs_count_app"));
        row(md, "I/O-shape app (Perkamo's reads, writes and records per input, no logic), records/s",
                result.get("io_shape_app_events_per_s"));
        row(md, "ratio to the I/O-shape app", result.get("throughput_ratio_vs_io_shape_app"));
        for (String kind : List.of("ingest", "reads")) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> rates = (Map<String, Map<String, Object>>) result.get(kind);
            if (rates != null) {
                rates.forEach((rate, f) -> row(md, (kind.equals("ingest") ? "POST /v1/events" : "GET /v1/customer")
                        + " at " + rate + " req/s: p50 / p99 / max ms (failed)",
                        f.get("p50_ms") + " / " + f.get("p99_ms") + " / " + f.get("max_ms") + " (" + f.get("failed") + ")"));
            }
        }
        row(md, "events/s with one webhook endpoint / none (ratio)", result.containsKey("webhook_deliveries")
                ? result.get("events_per_s_one_webhook") + " / " + result.get("events_per_s_no_webhooks") + " ("
                + result.get("throughput_ratio_one_webhook_vs_none") + ")" : null);
        row(md, "webhook deliveries/s to one local receiver", result.get("webhook_deliveries_per_s"));
        row(md, "perkamo replay (audit of the events topic against the live profiles), records/s",
                result.get("replay_events_per_s"));
        row(md, "plain read_committed consume of the same topic, records/s", result.get("consume_events_per_s"));
        row(md, "replay's ratio to the plain consume", result.get("replay_ratio_vs_consume"));
        row(md, "pure fold (JMH, 1 thread), events/s", result.get("fold_events_per_s"));
        result.put("loadavg_at_end", loadAverage());
        row(md, "load average (1 min) at start / end", result.get("loadavg_at_start") + " / " + result.get("loadavg_at_end"));
        String json = JSON.writeValueAsString(result);
        System.out.println();
        System.out.print(md);
        if (opts.containsKey("results")) {
            Path dir = Path.of(opts.get("results"));
            Files.createDirectories(dir);
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Files.writeString(dir.resolve(stamp + ".json"), json + "\n");
            Files.writeString(dir.resolve(stamp + ".md"), md.toString());
            System.out.println("\nresults: " + dir.resolve(stamp + ".json"));
        }
        System.out.println(json);
    }

    private static void row(StringBuilder md, String name, Object value) {
        if (value != null) {
            md.append("| ").append(name).append(" | ").append(value).append(" |\n");
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Double.isNaN(v) ? -1 : Math.round(v * f) / f;
    }

    /** The machine's 1-minute load average (2 cores: anything above 2 means others want the CPU too). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                String.format(format, args));
        System.out.flush();
    }

    static Set<String> none() {
        return Set.of();
    }
}

package io.perkamo.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.topics.Topics;
import io.perkamo.core.fold.ReferenceFold;
import io.perkamo.local.EmbeddedKafkaBroker;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.InputJson;
import io.perkamo.topics.Partitioning;
import io.perkamo.testing.ChildJvm;

/**
 * Fault injection: a broker process and one or two `perkamo run` processes (application id
 * chaos); while inputs (with retries: the same bytes re-sent) are produced at a fixed pace,
 * processors are SIGKILLed and restarted, and optionally the broker is restarted once and a
 * processor is SIGSTOPped past its session timeout, then SIGCONTed (a zombie that must be
 * fenced). Afterwards every user's inputs, read back from the events topic in offset order,
 * are folded by the reference model ({@link ReferenceFold}) and compared with the final
 * profiles (profiles topic, and the API for a sample), the outcomes are counted per
 * (user, transaction_id), and every committed profile record is checked for negative balances.
 */
public final class ChaosRunner {
    static final String SPACE = "chaos";
    static final Instant START = Instant.parse("2024-03-30T20:00:00Z");
    static final ReferenceFold.Program PROGRAM =
            new ReferenceFold.Program(2, 3, Optional.of(10L), Optional.of(20), 300);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param kills          SIGKILLs of a processor (each followed by a restart), spread over the run
     * @param restartBroker  stop and restart the broker once, mid-run
     * @param stopProcessor  SIGSTOP a processor for {@code stopFor} (past its session timeout), then SIGCONT
     */
    public record Config(int inputs, int users, int processors, double inputsPerSecond, int kills,
                         boolean restartBroker, boolean stopProcessor, Duration stopFor, Duration sessionTimeout,
                         Path work, long seed, int apiSample, Duration settleTimeout) {
    }

    public record Report(int kills, int brokerRestarts, int stops, long inputs, long retries, long users,
                         long outcomes, long dlq, long lost, long extraOutcomes, long appliedTwice,
                         long profileMismatches, long negativeProfileRecords, long profileRecords, long apiChecked,
                         long apiMismatches, long seconds) {
        public boolean clean() {
            return lost == 0 && extraOutcomes == 0 && appliedTwice == 0 && profileMismatches == 0
                    && negativeProfileRecords == 0 && apiMismatches == 0 && dlq == 0;
        }

        public String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Config config;
    private final int kafkaPort;
    private final int controllerPort;
    private final List<Integer> apiPorts = new ArrayList<>();
    private final String masterKey;
    private ChildJvm broker;
    private final List<ChildJvm> processors = new ArrayList<>();
    private final AtomicLong produced = new AtomicLong();
    private volatile boolean producing = true;
    private final AtomicInteger kills = new AtomicInteger();
    private int brokerRestarts;
    private int stops;

    public ChaosRunner(Config config) throws IOException {
        this.config = config;
        this.kafkaPort = EmbeddedKafkaBroker.freePort();
        this.controllerPort = EmbeddedKafkaBroker.freePort();
        for (int i = 0; i < config.processors(); i++) {
            apiPorts.add(EmbeddedKafkaBroker.freePort());
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.masterKey = Base64.getEncoder().encodeToString(key);
        Files.createDirectories(config.work());
    }

    private String bootstrap() {
        return "localhost:" + kafkaPort;
    }

    public Report run() throws Exception {
        long started = System.nanoTime();
        try {
            startBroker();
            String apiKey = setUpSpace();
            for (int i = 0; i < config.processors(); i++) {
                processors.add(startProcessor(i));
            }
            for (ChildJvm p : processors) {
                p.awaitLine("Perkamo is ready", Duration.ofMinutes(3));
            }
            log("%d processor(s) ready; producing %,d inputs at %.0f/s", processors.size(), config.inputs(),
                    config.inputsPerSecond());
            Thread producer = new Thread(this::produce, "chaos-producer");
            producer.start();
            chaos();
            producer.join();
            for (int i = 0; i < processors.size(); i++) {
                if (!processors.get(i).isAlive()) {
                    processors.set(i, startProcessor(i));
                }
            }
            log("production done (%,d records), %d kills; checking", produced.get(), kills.get());
            return check(apiKey, started);
        } finally {
            processors.forEach(ChildJvm::close);
            if (broker != null) {
                broker.close();
            }
        }
    }

    // ---- processes -----------------------------------------------------------------------------

    private void startBroker() throws InterruptedException {
        broker = ChildJvm.start("broker", List.of("-Xmx1g"), "io.perkamo.cli.PerkamoCli",
                List.of("broker", "--port", Integer.toString(kafkaPort), "--controller-port",
                        Integer.toString(controllerPort), "--no-registry", "--data-dir",
                        config.work().resolve("kafka").toString()),
                Map.of(), config.work().resolve("broker.log"));
        broker.awaitLine("Kafka broker ready", Duration.ofMinutes(2));
    }

    private ChildJvm startProcessor(int i) {
        long session = config.sessionTimeout().toMillis();
        return ChildJvm.start("processor-" + i, List.of("-Xmx768m"), "io.perkamo.cli.PerkamoCli",
                List.of("run", "--bootstrap-servers", bootstrap(), "--port", Integer.toString(apiPorts.get(i)),
                        "--application-id", SPACE, "--state-dir", config.work().resolve("state-" + i).toString(),
                        "--threads", "1",
                        "--streams-property", "consumer.session.timeout.ms=" + session,
                        "--streams-property", "consumer.heartbeat.interval.ms=" + Math.max(500, session / 4)),
                Map.of(MasterKey.ENV, masterKey, "PERKAMO_HOME", config.work().resolve("home-" + i).toString()),
                config.work().resolve("processor-" + i + ".log"));
    }

    private String setUpSpace() throws Exception {
        try (ControlPlane cp = ControlPlane.start(bootstrap(), MasterKey.fromBase64(masterKey))) {
            new SpaceAdmin(cp).create(SPACE, "test", Optional.empty(), 6);
            ObjectNode program = (ObjectNode) new YAMLMapper().readTree(PROGRAM.yaml());
            new ProgramStore(cp).publish(SPACE, program, PROGRAM.effectiveAt());
            return new ApiKeys(cp).create(SPACE, ApiKeyRecord.Kind.SERVER, ApiKeys.SERVER_SCOPES).plaintext();
        }
    }

    /** Kills (and restarts) processors at even intervals of production; the broker restart and the stop fit in. */
    private void chaos() throws Exception {
        SplittableRandom random = new SplittableRandom(config.seed() + 1);
        int total = config.kills();
        boolean brokerDone = !config.restartBroker();
        boolean stopDone = !config.stopProcessor() || processors.size() < 2;
        int done = 0;
        while (done < total || !brokerDone || !stopDone) {
            double progress = (double) produced.get() / config.inputs();
            double nextKillAt = (done + 0.5) / (total + 1);
            if (!brokerDone && (progress >= 0.5 || !producing)) {
                log("restarting the broker at %,d produced", produced.get());
                broker.stop(Duration.ofSeconds(30));
                Thread.sleep(2000);
                startBroker();
                brokerRestarts++;
                brokerDone = true;
                log("broker back");
                continue;
            }
            if (!stopDone && (progress >= 0.7 || !producing)) {
                ChildJvm zombie = processors.get(0);
                log("SIGSTOP processor-0 for %d s (session timeout %d s)", config.stopFor().toSeconds(),
                        config.sessionTimeout().toSeconds());
                zombie.signal("STOP");
                Thread.sleep(config.stopFor().toMillis());
                zombie.signal("CONT");
                stops++;
                stopDone = true;
                log("SIGCONT processor-0");
                continue;
            }
            if (done < total && (progress >= nextKillAt || !producing)) {
                int i = random.nextInt(processors.size());
                ChildJvm victim = processors.get(i);
                victim.kill();
                kills.incrementAndGet();
                done++;
                log("SIGKILL %d/%d: processor-%d at %,d produced", done, total, i, produced.get());
                Thread.sleep(500 + random.nextInt(1500));
                ChildJvm restarted = startProcessor(i);
                processors.set(i, restarted);
                awaitReadyQuietly(restarted);
                continue;
            }
            Thread.sleep(100);
        }
    }

    private static void awaitReadyQuietly(ChildJvm p) throws InterruptedException {
        try {
            p.awaitLine("Perkamo is ready", Duration.ofMinutes(2));
        } catch (IllegalStateException e) {
            log("warning: %s", e.getMessage());
        }
    }

    // ---- inputs ----------------------------------------------------------------------------------

    /**
     * Per user: e.earn 35%, e.burn 15%, redemption of r 10%, e.undo of an earlier transaction
     * (or an unknown one) 8%, identify 7%, and 25% retries: the exact bytes of an earlier
     * input of the same user sent again.
     */
    private void produce() {
        SplittableRandom random = new SplittableRandom(config.seed());
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap());
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 5);
        props.put("delivery.timeout.ms", 900_000);
        props.put("request.timeout.ms", 30_000);
        props.put("max.block.ms", 900_000);
        List<List<byte[]>> sent = new ArrayList<>();
        List<List<String>> txs = new ArrayList<>();
        for (int u = 0; u < config.users(); u++) {
            sent.add(new ArrayList<>());
            txs.add(new ArrayList<>());
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        long begin = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < config.inputs(); i++) {
                long due = begin + (long) (i * 1e9 / config.inputsPerSecond());
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
                int u = random.nextInt(config.users());
                String user = "u-" + u;
                Instant t = START.plus(Duration.ofSeconds(2L * i));
                int roll = random.nextInt(100);
                byte[] value;
                if (roll < 25 && !sent.get(u).isEmpty()) {
                    List<byte[]> earlier = sent.get(u);
                    value = earlier.get(random.nextInt(earlier.size()));
                } else {
                    String tx = "t-" + i;
                    Input input;
                    int kind = random.nextInt(75);
                    if (kind < 35) {
                        input = new Input.Event(user, tx, "e.earn", f.objectNode().put("n", random.nextLong(1, 500)), t);
                    } else if (kind < 50) {
                        input = new Input.Event(user, tx, "e.burn", f.objectNode().put("n", random.nextLong(1, 200)), t);
                    } else if (kind < 60) {
                        input = new Input.Redemption(user, tx, "r", f.objectNode(), t);
                    } else if (kind < 68) {
                        List<String> mine = txs.get(u);
                        String ref = mine.isEmpty() || random.nextInt(5) == 0 ? "unknown-" + i
                                : mine.get(random.nextInt(mine.size()));
                        input = new Input.Event(user, tx, "e.undo", f.objectNode().put("ref", ref), t);
                    } else {
                        input = new Input.Identify(user, Optional.empty(), f.objectNode().put("plan", kind), t);
                    }
                    value = InputJson.toJsonBytes(input);
                    if (input.transactionId().isPresent()) {
                        sent.get(u).add(value);
                        txs.get(u).add(tx);
                    }
                }
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(SPACE), user.getBytes(StandardCharsets.UTF_8),
                        value), (md, e) -> {
                            if (e != null) {
                                log("send failed (the check reads what the topic holds): %s", e);
                            }
                        });
                produced.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producing = false;
        }
    }

    // ---- the check -------------------------------------------------------------------------------

    /** What was sent and answered for one (user, transaction_id); identifies share (user, ""). */
    static final class Tally {
        int inputs;
        int outcomes;
        int firsts; // outcomes with duplicate=false
        int applied;
    }

    private Report check(String apiKey, long started) throws Exception {
        // 1. the inputs as the topic holds them, folded per user by the reference model
        Map<String, ReferenceFold> models = new HashMap<>();
        Map<String, Tally> tallies = new HashMap<>();
        long[] inputs = {0};
        long[] retries = {0};
        int partitions = partitionCount(Topics.EVENTS.name(SPACE));
        readAll(Topics.EVENTS.name(SPACE), Duration.ofMinutes(2), false, r -> {
            if (r.partition() != Partitioning.partitionOf(r.key(), partitions)) {
                return; // the processor folds its rerouted copy (on the right partition), not this one
            }
            JsonNode v = JSON.readTree(r.value());
            String user = v.get("user_id").asText();
            String kind = v.path("kind").asText("event");
            Optional<String> tx = Optional.ofNullable(v.get("transaction_id")).map(JsonNode::asText);
            Instant at = Instant.parse(v.get("occurred_at").asText());
            ObjectNode context = v.has("context") ? (ObjectNode) v.get("context") : JsonNodeFactory.instance.objectNode();
            Input input;
            String payload;
            switch (kind) {
                case "identify" -> {
                    input = new Input.Identify(user, tx, (ObjectNode) v.get("traits"), at);
                    payload = "identify|" + v.get("traits");
                }
                case "redemption" -> {
                    input = new Input.Redemption(user, tx.orElseThrow(), v.get("reward").asText(), context, at);
                    payload = "redeem|" + v.get("reward").asText();
                }
                default -> {
                    input = new Input.Event(user, tx.orElseThrow(), v.get("event").asText(), context, at);
                    payload = v.get("event").asText() + "|" + context;
                }
            }
            ReferenceFold model = models.computeIfAbsent(user, k -> new ReferenceFold(PROGRAM));
            int before = model.duplicates();
            model.apply(input, payload);
            retries[0] += model.duplicates() - before;
            tallies.computeIfAbsent(user + "\u0000" + tx.orElse(""), k -> new Tally()).inputs++;
            inputs[0]++;
        });
        log("events topic: %,d inputs (%,d retries) of %,d users", inputs[0], retries[0], models.size());

        // 2. the outcomes, once there are as many as inputs (or nothing new comes for a while)
        long[] outcomes = {0};
        readUntil(Topics.OUTCOMES.name(SPACE), () -> outcomes[0] >= inputs[0], config.settleTimeout(), r -> {
            JsonNode v = JSON.readTree(r.value());
            String tx = v.path("transaction_id").isNull() ? "" : v.path("transaction_id").asText("");
            Tally t = tallies.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8) + "\u0000" + tx,
                    k -> new Tally());
            t.outcomes++;
            if (!v.path("duplicate").asBoolean()) {
                t.firsts++;
            }
            if (v.path("applied").asBoolean()) {
                t.applied++;
            }
            outcomes[0]++;
        });
        long[] dlq = {0};
        readAll(Topics.DLQ.name(SPACE), Duration.ofSeconds(30), true, r -> dlq[0]++);

        // 3. every committed profile record; the last one per user is the final profile
        Map<String, JsonNode> finals = new HashMap<>();
        long[] negative = {0};
        long[] profileRecords = {0};
        readAll(Topics.PROFILES.name(SPACE), Duration.ofMinutes(2), true, r -> {
            JsonNode v = JSON.readTree(r.value());
            profileRecords[0]++;
            v.path("wallets").fields().forEachRemaining(w -> {
                if (w.getValue().asLong() < 0) {
                    negative[0]++;
                }
            });
            finals.put(new String(r.key(), StandardCharsets.UTF_8), v);
        });

        long lost = 0;
        long extra = 0;
        long twice = 0;
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            boolean identify = e.getKey().endsWith("\u0000");
            lost += Math.max(0, t.inputs - t.outcomes);
            extra += Math.max(0, t.outcomes - t.inputs);
            // an identify has no transaction_id: each one applies; anything else applies at most once
            if (identify ? t.applied > t.inputs : (t.applied > 1 || t.firsts > 1)) {
                twice++;
            }
        }
        long mismatches = 0;
        for (Map.Entry<String, ReferenceFold> e : models.entrySet()) {
            String problem = compare(e.getValue(), finals.get(e.getKey()));
            if (problem != null) {
                mismatches++;
                if (mismatches <= 10) {
                    log("profile of %s differs from the model: %s", e.getKey(), problem);
                }
            }
        }

        // 4. the API, for a sample of users
        long apiChecked = 0;
        long apiMismatches = 0;
        HttpClient http = HttpClient.newHttpClient();
        List<String> users = new ArrayList<>(models.keySet());
        users.sort(null);
        for (int i = 0; i < Math.min(config.apiSample(), users.size()); i++) {
            String user = users.get(i * users.size() / Math.min(config.apiSample(), users.size()));
            ReferenceFold model = models.get(user);
            JsonNode answer = apiProfile(http, apiKey, user);
            apiChecked++;
            String problem = answer == null ? (model.applied() == 0 ? null : "no answer") : compare(model, answer);
            if (problem != null) {
                apiMismatches++;
                log("API profile of %s differs: %s", user, problem);
            }
        }
        return new Report(kills.get(), brokerRestarts, stops, inputs[0], retries[0], models.size(), outcomes[0],
                dlq[0], lost, extra, twice, mismatches, negative[0], profileRecords[0], apiChecked, apiMismatches,
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    private static String compare(ReferenceFold model, JsonNode profile) {
        long version = profile == null ? 0 : profile.path("version").asLong();
        StringBuilder diff = new StringBuilder();
        if (version != model.applied()) {
            diff.append(" version ").append(version).append(" != ").append(model.applied());
        }
        for (String w : List.of("a", "b")) {
            long balance = profile == null ? 0 : profile.path("wallets").path(w).asLong(0);
            long earned = profile == null ? 0 : profile.path("earned").path(w).asLong(0);
            if (balance != model.balance(w)) {
                diff.append(" balance ").append(w).append(' ').append(balance).append(" != ").append(model.balance(w));
            }
            if (profile != null && profile.has("earned") && earned != model.earned(w)) {
                diff.append(" earned ").append(w).append(' ').append(earned).append(" != ").append(model.earned(w));
            }
        }
        return diff.isEmpty() ? null : diff.toString().trim();
    }

    private JsonNode apiProfile(HttpClient http, String apiKey, String user) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            for (ChildJvm p : processors) {
                int port = apiPorts.get(processors.indexOf(p));
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/v1/customer/" + user))
                            .header("x-perkamo-api-key", apiKey).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return JSON.readTree(r.body());
                    }
                    if (r.statusCode() == 404) {
                        return null;
                    }
                } catch (IOException e) {
                    // this instance is not answering; try the next
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    interface RecordHandler {
        void accept(ConsumerRecord<byte[], byte[]> record) throws IOException;
    }

    /** Reads a topic from the beginning to its current end (read_committed when asked). */
    private void readAll(String topic, Duration timeout, boolean committed, RecordHandler handler) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(committed)) {
            List<TopicPartition> parts = assign(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(r);
                }
            }
        }
    }

    /** Reads a topic (read_committed) until {@code done} holds or nothing new arrives for {@code quiet}. */
    private void readUntil(String topic, java.util.function.BooleanSupplier done, Duration quiet,
                           RecordHandler handler) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(true)) {
            assign(consumer, topic);
            long lastProgress = System.nanoTime();
            long lastLog = 0;
            long seen = 0;
            while (!done.getAsBoolean()) {
                int n = 0;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(r);
                    n++;
                }
                seen += n;
                if (n > 0) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > quiet.toNanos()) {
                    log("no new outcomes for %d s; checking what is there", quiet.toSeconds());
                    return;
                }
                if (System.nanoTime() - lastLog > 10_000_000_000L) {
                    lastLog = System.nanoTime();
                    log("outcomes read so far: %,d", seen);
                }
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(boolean committed) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap(), "enable.auto.commit", false,
                "isolation.level", committed ? "read_committed" : "read_uncommitted", "max.poll.records", 10_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> assign(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return parts;
    }

    private int partitionCount(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(false)) {
            return consumer.partitionsFor(topic).size();
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[chaos %s] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), String.format(format, args));
        System.out.flush();
    }

    /** scripts/chaos: --inputs N --users N --processors N --rate R --kills N [--quick] --work DIR. */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
                o.put(args[i].substring(2), flag ? "true" : args[++i]);
            }
        }
        boolean quick = o.containsKey("quick");
        Config config = new Config(
                Integer.parseInt(o.getOrDefault("inputs", quick ? "20000" : "1000000")),
                Integer.parseInt(o.getOrDefault("users", quick ? "200" : "5000")),
                Integer.parseInt(o.getOrDefault("processors", quick ? "1" : "2")),
                Double.parseDouble(o.getOrDefault("rate", quick ? "500" : "2500")),
                Integer.parseInt(o.getOrDefault("kills", quick ? "3" : "20")),
                !quick && !o.containsKey("no-broker-restart"),
                !quick && !o.containsKey("no-stop"),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("stop-seconds", "20"))),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("session-timeout-seconds", "6"))),
                o.containsKey("work") ? Path.of(o.get("work")) : Files.createTempDirectory("perkamo-chaos"),
                Long.parseLong(o.getOrDefault("seed", "1")),
                Integer.parseInt(o.getOrDefault("api-sample", "50")),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("settle-seconds", "180"))));
        log("config: %s", config);
        Report report = new ChaosRunner(config).run();
        System.out.println(report.clean() ? "CHAOS CLEAN" : "CHAOS FOUND DIFFERENCES");
        System.out.println(report.toJson());
        System.exit(report.clean() ? 0 : 1);
    }
}

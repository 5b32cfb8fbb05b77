package io.perkamo.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.core.codec.StoreCodecs;
import io.perkamo.core.fold.PriorDecision;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.avro.StoredDecision;
import io.perkamo.schemas.input.Input;
import io.perkamo.topics.DeadLetterHeaders;
import io.perkamo.topics.PerkamoHeaders;

/**
 * Dedup and fold in one place: reads the user's profile and stored decisions, runs the pure
 * {@link FoldStep} (program version in force at the input's event time, fold, encoding) and
 * writes what it returns: the dedup entries, the profile (when it changed) and one outcome.
 * Everything here changes in the task's Kafka transaction (exactly_once_v2).
 */
final class FoldProcessor implements Processor<Object, Object, Object, Object> {
    private static final Logger log = LoggerFactory.getLogger(FoldProcessor.class);
    /** The least time between two early commits a stream thread asks for on behalf of API callers. */
    static final Duration SYNC_COMMIT_SPACING = Duration.ofMillis(20);
    /** Per stream thread: one transaction covers every task of the thread (exactly_once_v2). */
    private static final ThreadLocal<long[]> LAST_COMMIT_REQUEST =
            ThreadLocal.withInitial(() -> new long[] {System.nanoTime() - SYNC_COMMIT_SPACING.toNanos()});
    private final ProgramRegistry programs;
    private final Duration dedupRetention;
    private final DecodedProfiles decoded = new DecodedProfiles(DecodedProfiles.DEFAULT_CAPACITY);
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> profiles;
    private KeyValueStore<String, byte[]> decisions;
    private org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, byte[]> programStore;

    FoldProcessor(ProgramRegistry programs, Duration dedupRetention) {
        this.programs = programs;
        this.dedupRetention = dedupRetention;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.profiles = context.getStateStore(StoreNames.PROFILES);
        this.decisions = context.getStateStore(StoreNames.DECISIONS);
        this.programStore = context.getStateStore(StoreNames.PROGRAMS);
        Duration every = dedupRetention.compareTo(Duration.ofHours(1)) < 0 ? dedupRetention : Duration.ofHours(1);
        context.schedule(every, PunctuationType.STREAM_TIME, this::expireDecisions);
    }

    @Override
    public void process(Record<Object, Object> record) {
        RoutedInput routed = (RoutedInput) record.value();
        String space = routed.space();
        Input input = routed.input();
        String userId = input.userId();
        String profileKey = StoreNames.profileKey(space, userId);

        ProfileState state = decoded.state(profileKey, profiles.get(profileKey), userId);
        ProgramHistory history = programs.history(space, programStore);

        FoldStep.Result result;
        try {
            result = FoldStep.apply(history, state, tx -> lookup(space, userId, tx), input,
                    Instant.ofEpochMilli(record.timestamp()));
        } catch (RuntimeException e) {
            // A bug in the fold or its encoding must not stop every Space's stream, nor lose the input:
            // park it in the DLQ (nothing of it was written).
            log.error("The fold failed on an input of Space {}; it goes to the DLQ", space, e);
            context.forward(DeadLetters.of(userId.getBytes(StandardCharsets.UTF_8), routed.original(),
                    record.timestamp(), record.headers(), context.recordMetadata().orElseThrow(),
                    DeadLetterHeaders.INTERNAL_ERROR, String.valueOf(e)), PerkamoTopology.DLQ_SINK);
            return;
        }

        for (FoldStep.DecisionWrite write : result.decisions()) {
            decisions.put(StoreNames.decisionKey(space, userId, write.transactionId()), write.bytes());
        }
        if (result.profile().isPresent()) {
            FoldStep.ProfileWrite profile = result.profile().get();
            profiles.put(profileKey, profile.bytes());
            decoded.wrote(profileKey, profile.bytes(), result.decision().state(), state);
            context.forward(record.withKey((Object) userId).withValue(new SpaceValue<>(space, profile.record())),
                    PerkamoTopology.PROFILES_SINK);
        }
        context.forward(record.withKey((Object) userId).withValue(new SpaceValue<>(space, result.outcome()))
                .withHeaders(outcomeHeaders(record)), PerkamoTopology.OUTCOMES_SINK);
        if (record.headers().lastHeader(PerkamoHeaders.REQUEST_ID) != null) {
            commitSoon();
        }
    }

    /** The input's headers plus where the input is (the webhook sender reads its context there). */
    private Headers outcomeHeaders(Record<Object, Object> record) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        context.recordMetadata().ifPresent(md -> {
            headers.add(PerkamoHeaders.SOURCE_PARTITION, Integer.toString(md.partition()).getBytes(StandardCharsets.US_ASCII));
            headers.add(PerkamoHeaders.SOURCE_OFFSET, Long.toString(md.offset()).getBytes(StandardCharsets.US_ASCII));
        });
        return headers;
    }

    /**
     * Someone waits on this outcome, and read_committed readers see it only once the
     * transaction commits: an idle stream thread would otherwise hold it a whole poll plus a
     * commit interval (a lone request took 130 ms at commit.interval.ms=100, against 30 ms).
     * Under load the requests are spaced so that each transaction still carries a batch.
     * Streams runs a requested commit right after the records in hand, in the same thread.
     */
    private void commitSoon() {
        long[] last = LAST_COMMIT_REQUEST.get(); // first: its initial value reads the clock too
        long now = System.nanoTime();
        if (now - last[0] >= SYNC_COMMIT_SPACING.toNanos()) {
            last[0] = now;
            context.commit();
        }
    }

    private Optional<PriorDecision> lookup(String space, String userId, String transactionId) {
        byte[] bytes = decisions.get(StoreNames.decisionKey(space, userId, transactionId));
        return bytes == null ? Optional.empty() : Optional.of(FoldStep.decodeDecision(bytes));
    }

    /** Event-time retention: drop dedup entries recorded longer ago than the retention. */
    private void expireDecisions(long streamTime) {
        Instant cutoff = Instant.ofEpochMilli(streamTime).minus(dedupRetention);
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = decisions.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                StoredDecision stored = StoreCodecs.decodeDecision(entry.value);
                Instant recorded = stored.getRecordedAt() != null ? stored.getRecordedAt() : stored.getOccurredAt();
                if (recorded.isBefore(cutoff)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(decisions::delete);
    }
}

package io.perkamo.usage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.OutcomeError;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.topics.DeadLetterHeaders;
import io.perkamo.topics.PerkamoHeaders;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WebhookDelivery;

/**
 * Turns one record of a Space's outcomes, DLQ or webhook delivery log into a change to that
 * Space's counters of the record's UTC day, keyed {@link UsageKeys#day}. Runs on the partition
 * the record came from: outcomes are keyed by user_id, so the marker of a (day, user) that makes
 * the user count once as an active customer lives in the same task as every outcome of the user.
 * The markers are kept {@link #MARKER_DAYS} days.
 */
final class UsageClassifier implements Processor<byte[], byte[], String, UsageCounts> {
    private static final Logger log = LoggerFactory.getLogger(UsageClassifier.class);
    static final int MARKER_DAYS = 3;
    private static final byte[] MARK = {1};

    private final Deserializer<Outcome> outcomes;
    private final Deserializer<WebhookDelivery> deliveries;
    private ProcessorContext<String, UsageCounts> context;
    private KeyValueStore<String, byte[]> markers;

    UsageClassifier(Deserializer<Outcome> outcomes, Deserializer<WebhookDelivery> deliveries) {
        this.outcomes = outcomes;
        this.deliveries = deliveries;
    }

    @Override
    public void init(ProcessorContext<String, UsageCounts> context) {
        this.context = context;
        this.markers = context.getStateStore(UsageTopology.MARKERS);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::forgetOldMarkers);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().orElseThrow().topic();
        Optional<String> space = Topics.spaceOf(topic);
        if (space.isEmpty() || record.value() == null) {
            return;
        }
        LocalDate day = dayOf(record.timestamp());
        try {
            Optional<UsageCounts> change;
            if (Topics.OUTCOMES.matches(topic)) {
                change = Optional.of(ofOutcome(space.get(), day, outcomes.deserialize(topic, record.value()),
                        record.headers()));
            } else if (Topics.DLQ.matches(topic)) {
                change = Optional.of(UsageCounts.input(viaApi(record.headers()))
                        .withDlq(header(record.headers(), DeadLetterHeaders.ERROR_CODE).orElse("unknown")));
            } else {
                change = ofDelivery(deliveries.deserialize(topic, record.value()));
            }
            change.ifPresent(c -> context.forward(new Record<>(UsageKeys.day(space.get(), day), c,
                    record.timestamp())));
        } catch (RuntimeException e) {
            // a record this reader cannot decode is not counted; it must never stop the meters
            log.warn("usage: skipped an unreadable record on {} at {}", topic,
                    context.recordMetadata().orElseThrow().offset(), e);
        }
    }

    private UsageCounts ofOutcome(String space, LocalDate day, Outcome o, Headers headers) {
        UsageCounts c = UsageCounts.input(viaApi(headers));
        Optional<String> error = Optional.ofNullable(o.getError()).map(OutcomeError::getCode);
        if (o.getDuplicate()) {
            return c.withDuplicate();
        }
        String status = o.getStatus();
        if ("rejected".equals(status)) {
            if (error.filter(ErrorCodes.IDEMPOTENCY_CONFLICT::equals).isPresent()) {
                return c.withConflict();
            }
            String why = Optional.ofNullable(o.getReason()).or(() -> error).orElse("rejected");
            return "redemption".equals(o.getKind()) ? c.withRedemptionRejected(why) : c.withRejected(why);
        }
        if (error.isPresent()) {
            // decided but refused (the API answers 400): a rejected input, by its code
            return c.withRejected(error.get());
        }
        UsageCounts counted = "redeemed".equals(status) ? c.withRedeemed() : c.withApplied();
        if (o.getApplied() && firstToday(space, day, o.getUserId())) {
            counted = counted.withActiveCustomer();
        }
        return counted;
    }

    private boolean firstToday(String space, LocalDate day, String userId) {
        String key = UsageKeys.marker(day, space, userId);
        if (markers.get(key) != null) {
            return false;
        }
        markers.put(key, MARK);
        return true;
    }

    private static Optional<UsageCounts> ofDelivery(WebhookDelivery d) {
        return switch (d.status()) {
            case SUCCEEDED -> Optional.of(UsageCounts.webhook(1, 0, 0));
            case FAILED -> Optional.of(UsageCounts.webhook(0, 1, 0));
            case RETRYING -> Optional.of(UsageCounts.webhook(0, 0, 1));
            case PENDING -> Optional.empty();
        };
    }

    private void forgetOldMarkers(long now) {
        String before = dayOf(now).minusDays(MARKER_DAYS).toString();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = markers.range("", before)) {
            it.forEachRemaining(kv -> old.add(kv.key));
        }
        old.forEach(markers::delete);
    }

    static LocalDate dayOf(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    private static boolean viaApi(Headers headers) {
        return headers.lastHeader(PerkamoHeaders.REQUEST_ID) != null;
    }

    private static Optional<String> header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}

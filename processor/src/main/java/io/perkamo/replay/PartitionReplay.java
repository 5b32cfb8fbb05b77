package io.perkamo.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.core.step.FoldStep;
import io.perkamo.topics.DeadLetterHeaders;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.InputRouting;

/**
 * One partition of the events topic, record by record, as the processor's task for it sees
 * it: routed by {@link InputRouting} (refused records count as DLQ, a record on another
 * partition than its user_id hashes to is skipped since its moved copy is the one folded),
 * folded in each lane, and the dedup retention swept on the stream's schedule.
 *
 * <p>Retention: the stream sweeps entries recorded more than the retention before its stream
 * time (the largest record time seen) whenever stream time crosses a multiple of the sweep
 * interval, after the records in hand. Here the sweep runs after the record that crosses it.
 * The stream's task also sees other Spaces' records of the same partition number and restarts
 * its schedule after a crash, so a retry that arrives within about one interval of its
 * original's retention ending may be decided differently; no other input can be.
 */
final class PartitionReplay {
    private static final Logger log = LoggerFactory.getLogger(PartitionReplay.class);

    private final int partition;
    private final String topic;
    private final int partitions;
    private final InputDecoder decoder;
    private final Window window;
    private final long retentionMillis;
    private final long sweepEveryMillis;
    private final Lane live;
    private final Optional<Lane> draft;
    private final Observer observer;
    private long streamTime = -1;
    private long nextSweep = 0;
    private boolean counting;
    private boolean stopped;

    PartitionReplay(int partition, ReplaySettings settings, Lane live, Optional<Lane> draft, Observer observer) {
        this.partition = partition;
        this.topic = settings.topic();
        this.partitions = settings.partitions();
        this.decoder = settings.decoder();
        this.window = settings.window();
        this.retentionMillis = settings.dedupRetention().toMillis();
        this.sweepEveryMillis = Math.max(1, sweepInterval(settings.dedupRetention()).toMillis());
        this.live = live;
        this.draft = draft;
        this.observer = observer;
        this.counting = window.from().isEmpty();
    }

    /** The stream's sweep interval for a retention (FoldProcessor's schedule). */
    static Duration sweepInterval(Duration retention) {
        return retention.compareTo(Duration.ofHours(1)) < 0 ? retention : Duration.ofHours(1);
    }

    int partition() {
        return partition;
    }

    Lane live() {
        return live;
    }

    Optional<Lane> draft() {
        return draft;
    }

    /** @return false once the partition has passed {@code --to} (the rest is not read) */
    boolean accept(LogRecord r) {
        if (stopped) {
            return false;
        }
        if (window.to().isPresent() && r.timestamp() >= window.to().get().toEpochMilli()) {
            stopped = true;
            return false;
        }
        if (!counting && r.timestamp() >= window.from().orElseThrow().toEpochMilli()) {
            counting = true;
        }
        InputRouting.Route route = InputRouting.route(decoder, topic, partition, t -> partitions, r.key(), r.value(),
                r.timestamp(), r.rerouted());
        if (route instanceof InputRouting.Refuse refuse) {
            observer.refused(r, refuse.code(), counting);
        } else if (route instanceof InputRouting.Move) {
            observer.moved(r, counting);
        } else {
            InputRouting.Fold fold = (InputRouting.Fold) route;
            Optional<FoldStep.Result> liveResult = fold(live, fold, r);
            Optional<FoldStep.Result> draftResult = draft.flatMap(d -> fold(d, fold, r));
            if (liveResult.isEmpty() && (draft.isEmpty() || draftResult.isEmpty())) {
                observer.refused(r, DeadLetterHeaders.INTERNAL_ERROR, counting);
            } else {
                observer.folded(r, fold.input(), liveResult, draftResult, counting);
            }
        }
        sweep(r.timestamp());
        return true;
    }

    private Optional<FoldStep.Result> fold(Lane lane, InputRouting.Fold fold, LogRecord r) {
        try {
            return Optional.of(lane.fold(fold.input(), r.timestamp()));
        } catch (RuntimeException e) {
            // the stream parks such an input in the DLQ (nothing of it is stored); so does this
            log.warn("The fold failed on {}-{}@{}; counted as the stream's DLQ would: {}", topic, partition,
                    r.offset(), e.toString());
            return Optional.empty();
        }
    }

    private void sweep(long recordTime) {
        streamTime = Math.max(streamTime, recordTime);
        if (streamTime < nextSweep) {
            return;
        }
        long cutoff = Instant.ofEpochMilli(streamTime).minusMillis(retentionMillis).toEpochMilli();
        live.expire(cutoff);
        draft.ifPresent(d -> d.expire(cutoff));
        nextSweep = (streamTime / sweepEveryMillis + 1) * sweepEveryMillis;
    }
}

package io.perkamo.control;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.topics.Topics;

/**
 * "Last used" of keys, approximate by design: a request only notes the time in this
 * instance's memory; a background task writes what was used since its last run to the
 * key-usage topic every {@link #FLUSH_EVERY} (so at most one record per key per minute per
 * instance, never a control write per request). What others see lags by up to that interval,
 * and the last minute of an instance that stops is lost.
 */
final class KeyUsage implements AutoCloseable {
    static final Duration FLUSH_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(KeyUsage.class);

    private final ControlLog controlLog;
    private final KeyUsageView view;
    private final Duration every;
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService flusher;
    private boolean closed;
    private volatile boolean failing;

    KeyUsage(ControlLog controlLog, KeyUsageView view, Duration every) {
        this.controlLog = controlLog;
        this.view = view;
        this.every = every;
    }

    /** Notes a use; the first one starts the flushing task. */
    void touch(String keyId, Instant at) {
        Instant previous = pending.put(keyId, at);
        if (previous != null && previous.isAfter(at)) {
            pending.merge(keyId, previous, (a, b) -> a.isAfter(b) ? a : b);
        }
        if (flusher == null) {
            start();
        }
    }

    /** The latest use known here: this instance's unflushed one or what the topic says. */
    Optional<Instant> lastUsed(String keyId) {
        Optional<Instant> flushed = view.get(keyId);
        Instant local = pending.get(keyId);
        if (local == null) {
            return flushed;
        }
        return Optional.of(flushed.filter(f -> f.isAfter(local)).orElse(local));
    }

    /** Writes what was used since the last flush; on failure keeps it for the next one. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new LinkedHashMap<>();
        for (String id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        Map<String, byte[]> records = new LinkedHashMap<>();
        batch.forEach((id, at) -> records.put(id, ControlJson.keyUsage(id, at)));
        try {
            controlLog.writeAll(Topics.CONTROL_KEY_USAGE, records);
            failing = false;
        } catch (RuntimeException e) {
            batch.forEach((id, at) -> pending.merge(id, at, (a, b) -> a.isAfter(b) ? a : b));
            if (!failing) {
                log.warn("Cannot record key usage ({} keys), retrying in {} s: {}", batch.size(), every.toSeconds(),
                        e.getMessage());
            }
            failing = true;
        }
    }

    private synchronized void start() {
        if (flusher != null || closed) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perkamo-key-usage");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (flusher != null) {
            flusher.shutdownNow();
        }
    }
}

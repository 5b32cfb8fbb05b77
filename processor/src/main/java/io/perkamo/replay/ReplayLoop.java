package io.perkamo.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The loop: reads the log and feeds each partition's records, in offset order, to that
 * partition's {@link PartitionReplay}, like a TopologyTestDriver run without the driver. A
 * user's inputs all live on one partition, so partitions fold independently: with several
 * threads each owns a fixed set of partitions, the reader hands them batches, and nothing is
 * shared but the counters.
 */
final class ReplayLoop {
    private static final int QUEUE_BATCHES = 16;

    /** Every partition's replay, in partition order, and how much was read. */
    record Done(List<PartitionReplay> partitions, long records, long nanos) {
    }

    private record Batch(int partition, List<LogRecord> records) {
        static final Batch END = new Batch(-1, List.of());
    }

    private ReplayLoop() {
    }

    static Done run(EventLog log, ReplaySettings settings, IntFunction<Observer> observers, Progress progress)
            throws InterruptedException {
        Limits limits = settings.limits();
        if (log.expectedRecords() > limits.maxRecords()) {
            throw tooMany(limits);
        }
        long started = System.nanoTime();
        long deadline = limits.maxTime().map(t -> started + t.toNanos()).orElse(Long.MAX_VALUE);
        int threads = Math.max(1, Math.min(settings.threads(), settings.partitions()));
        Worker[] workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(settings, observers, progress, deadline);
        }
        long[] read = {0};
        if (threads == 1) {
            log.read((partition, batch) -> {
                read[0] += batch.size();
                checkRecords(read[0], limits);
                workers[0].fold(partition, batch);
                return true;
            });
        } else {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Worker w = workers[i];
                Thread t = new Thread(() -> w.drain(failure), "perkamo-replay-" + i);
                t.setDaemon(true);
                t.start();
                running.add(t);
            }
            boolean complete = false;
            try {
                log.read((partition, batch) -> {
                    if (failure.get() != null) {
                        return false;
                    }
                    read[0] += batch.size();
                    checkRecords(read[0], limits);
                    workers[partition % threads].queue.put(new Batch(partition, batch));
                    return true;
                });
                complete = true;
            } finally {
                for (Worker w : workers) {
                    if (!complete) {
                        w.queue.clear(); // stopping: what is queued is not folded
                    }
                    w.queue.put(Batch.END);
                }
                for (Thread t : running) {
                    t.join();
                }
            }
            rethrow(failure.get());
        }
        List<PartitionReplay> all = new ArrayList<>();
        for (Worker w : workers) {
            all.addAll(w.partitions);
        }
        all.sort(Comparator.comparingInt(PartitionReplay::partition));
        return new Done(List.copyOf(all), read[0], System.nanoTime() - started);
    }

    private static void checkRecords(long read, Limits limits) {
        if (read > limits.maxRecords()) {
            throw tooMany(limits);
        }
    }

    private static ReplayLimitException tooMany(Limits limits) {
        return new ReplayLimitException(ReplayLimitException.Kind.TOO_MANY_RECORDS, limits.maxRecords(),
                "the events topic holds more than " + limits.maxRecords() + " records");
    }

    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** One fold thread: its partitions' replays and observers; everything it touches is its own. */
    private static final class Worker {
        final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
        final List<PartitionReplay> partitions = new ArrayList<>();
        private final PartitionReplay[] byPartition;
        private final ReplaySettings settings;
        private final IntFunction<Observer> observers;
        private final Progress progress;
        private final long deadline;

        Worker(ReplaySettings settings, IntFunction<Observer> observers, Progress progress, long deadline) {
            this.settings = settings;
            this.observers = observers;
            this.progress = progress;
            this.deadline = deadline;
            this.byPartition = new PartitionReplay[settings.partitions()];
        }

        void drain(AtomicReference<Throwable> failure) {
            try {
                while (true) {
                    Batch b = queue.take();
                    if (b == Batch.END) {
                        return;
                    }
                    if (failure.get() == null) {
                        fold(b.partition(), b.records());
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                queue.clear();
            }
        }

        void fold(int partition, List<LogRecord> batch) {
            if (System.nanoTime() > deadline) {
                long ms = settings.limits().maxTime().orElseThrow().toMillis();
                throw new ReplayLimitException(ReplayLimitException.Kind.TOO_SLOW, ms,
                        "the replay did not finish within " + ms + " ms");
            }
            PartitionReplay p = replay(partition);
            int done = 0;
            for (LogRecord r : batch) {
                if (!p.accept(r)) {
                    break;
                }
                done++;
            }
            progress.add(batch.size(), done);
        }

        private PartitionReplay replay(int partition) {
            if (partition >= byPartition.length) {
                throw new IllegalStateException("record of partition " + partition + " in a log of "
                        + byPartition.length + " partitions");
            }
            PartitionReplay p = byPartition[partition];
            if (p == null) {
                Optional<Lane> draft = settings.draft().map(Lane::new);
                p = new PartitionReplay(partition, settings, new Lane(settings.live()), draft,
                        observers.apply(partition));
                byPartition[partition] = p;
                partitions.add(p);
            }
            return p;
        }
    }
}

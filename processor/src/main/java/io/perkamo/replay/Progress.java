package io.perkamo.replay;

import java.io.PrintWriter;
import java.util.concurrent.atomic.LongAdder;

/**
 * How far a long run is: records read and folded, rate, ETA. On a terminal a line on stderr
 * is rewritten twice a second; elsewhere (a pipe, a log, the HTTP what-if) nothing is printed
 * until the caller's final line.
 */
public final class Progress implements AutoCloseable {
    private static final long EVERY_NANOS = 500_000_000L;

    private final LongAdder read = new LongAdder();
    private final LongAdder folded = new LongAdder();
    private final long started = System.nanoTime();
    private volatile long expected;
    private final PrintWriter out;
    private final Thread printer;
    private volatile boolean running = true;

    private Progress(long expected, PrintWriter out) {
        this.expected = expected;
        this.out = out;
        if (out != null) {
            printer = new Thread(this::print, "perkamo-replay-progress");
            printer.setDaemon(true);
            printer.start();
        } else {
            printer = null;
        }
    }

    /** Prints nothing. */
    public static Progress silent() {
        return new Progress(0, null);
    }

    /** Prints to {@code err} while running when {@code interactive} (stderr is a terminal). */
    public static Progress to(PrintWriter err, boolean interactive) {
        return interactive ? new Progress(0, err) : silent();
    }

    /** How many records the run will read, once the log knows (for the percentage and ETA). */
    void expect(long records) {
        expected = records;
    }

    void add(long records, long foldedRecords) {
        read.add(records);
        folded.add(foldedRecords);
    }

    long records() {
        return read.sum();
    }

    private void print() {
        while (running) {
            try {
                Thread.sleep(EVERY_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                return;
            }
            long n = read.sum();
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = seconds > 0 ? n / seconds : 0;
            String eta = expected > 0 && rate > 0 && n < expected
                    ? String.format(" ETA %.0f s", (expected - n) / rate) : "";
            String of = expected > 0 ? String.format(" of %,d (%.0f%%)", expected, 100.0 * n / expected) : "";
            synchronized (out) {
                out.printf("\r  %,d records%s, %,.0f/s%s   ", n, of, rate, eta);
                out.flush();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        if (printer != null) {
            printer.interrupt();
            try {
                printer.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (out) {
                out.print("\r\u001b[2K");
                out.flush();
            }
        }
    }
}

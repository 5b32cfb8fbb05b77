package io.perkamo.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Open-loop load, wrk2-style: request i is due at start + i / rate whatever happened to earlier
 * ones, and its latency is measured from that due time, so queueing (in the server, or here
 * waiting for a free connection) shows in the figures instead of silently lowering the rate.
 *
 * <p>The generator is kept lean so that it measures the server and not itself: requests are
 * rendered to bytes before the clock starts and go over a pool of persistent HTTP/1.1
 * keep-alive connections (one request at a time on each, no pipelining). One thread sends
 * (sleeps until a request is due, takes an idle connection, opening one when the pool is not
 * full yet, or waits for one); one thread reads every connection through a selector, parses
 * just the status line and the framing ({@link ResponseParser}) and takes the time.
 */
final class OpenLoop {
    /** A request that has not been answered this long after its due time counts as failed. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param sent   requests due in the measured window (after the warm-up)
     * @param ok     of those, the ones answered with the expected status within {@link #TIMEOUT}
     * @param failed the others: another status, an I/O error, a broken connection or no answer in time
     */
    record Result(double offeredPerS, int sent, int ok, int failed, double p50Ms, double p99Ms, double maxMs) {
    }

    private OpenLoop() {
    }

    /** A GET request, rendered. */
    static byte[] get(InetSocketAddress server, String path, Map<String, String> headers) {
        return render("GET", server, path, headers, null);
    }

    /** A POST request with a body, rendered (Content-Length set here). */
    static byte[] post(InetSocketAddress server, String path, Map<String, String> headers, byte[] body) {
        return render("POST", server, path, headers, body);
    }

    private static byte[] render(String method, InetSocketAddress server, String path, Map<String, String> headers,
                                 byte[] body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return h;
        }
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /**
     * Offers {@code rate} requests per second for {@code warmup + duration}.
     *
     * @param connections the most connections to keep open (all opened before the clock starts);
     *                    when all are busy, a due request waits for one, and its wait counts
     * @param request     the rendered request i ({@link #get}, {@link #post}); called for every i
     *                    before the clock starts
     * @param warmup      requests due before this are sent but left out of the figures
     */
    static Result run(InetSocketAddress server, int connections, IntFunction<byte[]> request, int expectedStatus,
                      double rate, Duration duration, Duration warmup) throws IOException, InterruptedException {
        int total = (int) Math.round(rate * (duration.toMillis() + warmup.toMillis()) / 1000.0);
        int skip = (int) Math.round(rate * warmup.toMillis() / 1000.0);
        byte[][] requests = new byte[total][];
        for (int i = 0; i < total; i++) {
            requests[i] = request.apply(i);
        }
        long[] latency;
        try (Engine engine = new Engine(server, connections, requests, expectedStatus)) {
            latency = engine.run(1e9 / rate);
        }
        long[] measured = Arrays.stream(latency, skip, total).filter(l -> l >= 0).sorted().toArray();
        int sent = total - skip;
        int failures = sent - measured.length;
        if (measured.length == 0) {
            return new Result(rate, sent, 0, failures, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Result(rate, sent, measured.length, failures, percentile(measured, 0.50),
                percentile(measured, 0.99), measured[measured.length - 1] / 1e6);
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    static double percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** One run: the sending thread is the caller's, the reading thread its own. */
    private static final class Engine implements AutoCloseable {
        private final InetSocketAddress server;
        private final int maxConnections;
        private final byte[][] requests;
        private final int expectedStatus;
        /** Latency per request in ns; -1 until answered with the expected status. */
        private final long[] latency;
        private final Selector selector;
        private final Thread reader;
        private final Object lock = new Object();
        /** Idle connections, most recently used first (guarded by lock). */
        private final ArrayDeque<Conn> idle = new ArrayDeque<>();
        private final List<Conn> all = new ArrayList<>();
        private int open; // guarded by lock
        private int finished; // answered or failed, guarded by lock
        private volatile boolean running = true;

        Engine(InetSocketAddress server, int maxConnections, byte[][] requests, int expectedStatus) throws IOException {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("connections must be positive");
            }
            this.server = server;
            this.maxConnections = maxConnections;
            this.requests = requests;
            this.expectedStatus = expectedStatus;
            this.latency = new long[requests.length];
            Arrays.fill(latency, -1);
            this.selector = Selector.open();
            for (int i = 0; i < maxConnections; i++) {
                Conn c = connect();
                synchronized (lock) {
                    idle.push(c);
                }
            }
            this.reader = new Thread(this::readLoop, "bench-http-reader");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        long[] run(double periodNs) throws InterruptedException {
            long start = System.nanoTime() + 20_000_000;
            int total = requests.length;
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * periodNs);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                Conn c = acquire(due);
                if (c == null) {
                    failed();
                } else {
                    send(c, i, due);
                }
            }
            long deadline = start + (long) ((total - 1) * periodNs) + TIMEOUT.toNanos();
            synchronized (lock) {
                long left;
                while (finished < total && (left = deadline - System.nanoTime()) > 0) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            }
            return latency.clone();
        }

        /** An idle connection; a new one while the pool is not full; otherwise waits (null when timed out). */
        private Conn acquire(long due) throws InterruptedException {
            synchronized (lock) {
                while (true) {
                    Conn c = idle.poll();
                    if (c != null) {
                        return c;
                    }
                    if (open < maxConnections) {
                        break;
                    }
                    long left = due + TIMEOUT.toNanos() - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            }
            try {
                return connect();
            } catch (IOException e) {
                return null;
            }
        }

        private Conn connect() throws IOException {
            SocketChannel ch = SocketChannel.open(server);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Conn c = new Conn(ch);
            synchronized (lock) {
                open++;
                all.add(c);
            }
            // registering while the reader selects is allowed (JDK 11+); wakeup makes it count now
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            selector.wakeup();
            return c;
        }

        private void send(Conn c, int index, long due) {
            c.assign(index, due);
            ByteBuffer out = ByteBuffer.wrap(requests[index]);
            try {
                while (out.hasRemaining()) {
                    if (c.channel.write(out) == 0) {
                        LockSupport.parkNanos(50_000);
                    }
                }
            } catch (IOException e) {
                drop(c);
            }
        }

        private void readLoop() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            while (running) {
                try {
                    selector.select(100);
                } catch (IOException e) {
                    return;
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid() && key.isReadable()) {
                        read((Conn) key.attachment(), buffer);
                    }
                }
            }
        }

        private void read(Conn c, ByteBuffer buffer) {
            buffer.clear();
            int n;
            try {
                n = c.channel.read(buffer);
            } catch (IOException e) {
                drop(c);
                return;
            }
            if (n < 0) {
                if (c.busy() && c.parser.endOfInput()) {
                    answered(c, System.nanoTime(), false);
                }
                drop(c);
                return;
            }
            buffer.flip();
            if (!c.busy()) {
                drop(c); // bytes nobody asked for
                return;
            }
            boolean complete;
            try {
                complete = c.parser.feed(buffer);
            } catch (IllegalStateException e) {
                drop(c);
                return;
            }
            if (complete) {
                answered(c, System.nanoTime(), c.parser.keepAlive() && !buffer.hasRemaining());
            }
        }

        /** Records the answer of the connection's request; returns the connection to the pool or closes it. */
        private void answered(Conn c, long now, boolean reuse) {
            long took = now - c.due();
            int index = c.take();
            if (index >= 0 && c.parser.status() == expectedStatus && took <= TIMEOUT.toNanos()) {
                latency[index] = took;
            }
            c.parser.reset();
            synchronized (lock) {
                finished++;
                if (reuse) {
                    idle.push(c);
                }
                lock.notifyAll();
            }
            if (!reuse) {
                closeConnection(c);
            }
        }

        /** The connection broke: its request (if any) failed, the pool has room for a new one. */
        private void drop(Conn c) {
            int index = c.take();
            closeConnection(c);
            if (index >= 0) {
                failed();
            }
        }

        private void failed() {
            synchronized (lock) {
                finished++;
                lock.notifyAll();
            }
        }

        private void closeConnection(Conn c) {
            synchronized (lock) {
                if (!c.open) {
                    return;
                }
                c.open = false;
                open--;
                idle.remove(c);
                lock.notifyAll();
            }
            if (c.key != null) {
                c.key.cancel();
            }
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            selector.wakeup();
            reader.join(5000);
            List<Conn> conns;
            synchronized (lock) {
                conns = new ArrayList<>(all);
            }
            conns.forEach(this::closeConnection);
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static final class Conn {
        final SocketChannel channel;
        final ResponseParser parser = new ResponseParser();
        SelectionKey key;
        boolean open = true; // guarded by Engine.lock
        private int request = -1;
        private long due;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }

        synchronized void assign(int index, long dueAt) {
            request = index;
            due = dueAt;
        }

        synchronized boolean busy() {
            return request >= 0;
        }

        synchronized long due() {
            return due;
        }

        /** The request in flight (-1: none), which is then no longer in flight. */
        synchronized int take() {
            int r = request;
            request = -1;
            return r;
        }
    }
}

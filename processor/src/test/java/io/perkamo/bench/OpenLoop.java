package io.perkamo.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Open-loop load: request i is due at start + i / rate whatever happened to earlier ones,
 * and its latency is measured from that due time, so queueing (in the server or in this
 * client falling behind) shows in the figures instead of silently lowering the rate.
 */
final class OpenLoop {
    record Result(double offeredPerS, int sent, int ok, int failed, double p50Ms, double p99Ms, double maxMs) {
    }

    private OpenLoop() {
    }

    /**
     * @param warmup requests due before this are sent but left out of the figures
     */
    static Result run(HttpClient client, IntFunction<HttpRequest> request, int expectedStatus, double rate,
                      Duration duration, Duration warmup) throws InterruptedException {
        int total = (int) Math.round(rate * (duration.toMillis() + warmup.toMillis()) / 1000.0);
        int skip = (int) Math.round(rate * warmup.toMillis() / 1000.0);
        long[] latency = new long[total];
        Arrays.fill(latency, -1);
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        double periodNs = 1e9 / rate;
        long start = System.nanoTime() + 20_000_000;
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * periodNs);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            client.sendAsync(request.apply(i), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                long end = System.nanoTime();
                if (error == null && response.statusCode() == expectedStatus) {
                    latency[index] = end - due;
                } else {
                    failed.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await(60, TimeUnit.SECONDS);
        long[] measured = Arrays.stream(latency, skip, total).filter(l -> l >= 0).sorted().toArray();
        int failures = failed.get();
        if (measured.length == 0) {
            return new Result(rate, total - skip, 0, failures, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Result(rate, total - skip, measured.length, failures, percentile(measured, 0.50),
                percentile(measured, 0.99), measured[measured.length - 1] / 1e6);
    }

    static double percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static HttpClient client(ExecutorService executor) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static ExecutorService executor() {
        return Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
    }
}

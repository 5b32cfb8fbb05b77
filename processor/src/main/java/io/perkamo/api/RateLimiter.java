package io.perkamo.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.javalin.http.Context;

/**
 * Token buckets (Bucket4j) per server key, per browser key and per browser-token user, sized by
 * the Space's {@link RateLimitConfig}: a bucket holds a minute's worth of requests and refills
 * at that rate, so a caller may burst up to its limit. Buckets live in this instance's memory:
 * N instances behind a balancer let a caller make up to N times its limit.
 *
 * <p>Every answer of a limited route says where the caller stands: {@code ratelimit-limit}
 * (requests per minute), {@code ratelimit-remaining}, {@code ratelimit-reset} (seconds until
 * the bucket is full again) and, on a 429 {@code rate_limited}, {@code retry-after} (seconds
 * until the next request is allowed). A browser token's call is counted against its user and
 * its browser key; the headers describe the tighter of the two.
 */
final class RateLimiter {
    static final String LIMIT = "ratelimit-limit";
    static final String REMAINING = "ratelimit-remaining";
    static final String RESET = "ratelimit-reset";
    static final String RETRY_AFTER = "retry-after";
    private static final long SWEEP_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** One bucket: a subject's id at one limit (a changed limit starts a new, full bucket). */
    private record BucketId(RateLimitConfig.Subject subject, String space, String id, int perMinute) {
    }

    private final RateLimitConfig config;
    private final TimeMeter time;
    private final Map<BucketId, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    RateLimiter(RateLimitConfig config, Clock clock) {
        this.config = config;
        // the server's clock, so tests can hold time still or move it
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.lastSweep = new AtomicLong(time.currentTimeNanos());
    }

    /** Counts a server key's request; 429 when its bucket is empty. */
    void server(Context ctx, ApiCaller caller) {
        int perMinute = config.limits(caller.space()).serverKeyPerMinute();
        Probe p = take(new BucketId(RateLimitConfig.Subject.SERVER_KEY, caller.space(), caller.keyId(), perMinute));
        answer(ctx, p);
    }

    /** Counts a browser token's request against its user and its browser key. */
    void client(Context ctx, ClientCaller caller) {
        RateLimitConfig.Limits limits = config.limits(caller.space());
        Probe user = take(new BucketId(RateLimitConfig.Subject.BROWSER_USER, caller.space(),
                caller.browserKeyId() + "/" + caller.userId(), limits.browserUserPerMinute()));
        if (!user.probe().isConsumed()) {
            answer(ctx, user);
            return;
        }
        Probe key = take(new BucketId(RateLimitConfig.Subject.BROWSER_KEY, caller.space(), caller.browserKeyId(),
                limits.browserKeyPerMinute()));
        if (!key.probe().isConsumed()) {
            user.bucket().addTokens(1); // the request was not served: give the user's token back
        }
        answer(ctx, !key.probe().isConsumed() || key.probe().getRemainingTokens() < user.probe().getRemainingTokens()
                ? key : user);
    }

    private record Probe(Bucket bucket, ConsumptionProbe probe, int perMinute) {
    }

    private Probe take(BucketId id) {
        sweepNowAndThen();
        Bucket bucket = buckets.computeIfAbsent(id, k -> Bucket.builder()
                .addLimit(l -> l.capacity(k.perMinute()).refillGreedy(k.perMinute(), Duration.ofMinutes(1)))
                .withCustomTimePrecision(time)
                .build());
        return new Probe(bucket, bucket.tryConsumeAndReturnRemaining(1), id.perMinute());
    }

    private static void answer(Context ctx, Probe p) {
        ConsumptionProbe probe = p.probe();
        ctx.header(LIMIT, Integer.toString(p.perMinute()));
        ctx.header(REMAINING, Long.toString(Math.max(0, probe.getRemainingTokens())));
        ctx.header(RESET, Long.toString(seconds(probe.getNanosToWaitForReset())));
        if (!probe.isConsumed()) {
            long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
            throw new ApiError(429, "rate_limited", "too many requests: at most " + p.perMinute()
                    + " per minute; retry after " + retryAfter + " s",
                    Json.object().put("limit", p.perMinute()).put("retry_after", retryAfter),
                    Map.of(RETRY_AFTER, Long.toString(retryAfter)));
        }
    }

    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /**
     * A full bucket is the same as none: once a minute drop those, so the map holds only the
     * callers of about the last minute (one thread does it; the others carry on).
     */
    private void sweepNowAndThen() {
        long now = time.currentTimeNanos();
        long last = lastSweep.get();
        if (now - last < SWEEP_EVERY_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= e.getKey().perMinute());
    }

    /** How many buckets this instance holds (for tests). */
    int size() {
        return buckets.size();
    }
}

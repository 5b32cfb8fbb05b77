package io.perkamo.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in operators of this instance: a session is a random 256-bit id in an HttpOnly cookie,
 * kept here only as its SHA-256, with an absolute expiry and its own CSRF token. Sessions live
 * in memory: a restart signs everyone out, and with several instances behind one address the
 * balancer must keep an operator on one instance (or they sign in on each).
 */
final class Sessions {
    static final Duration TTL = Duration.ofHours(8);
    static final int MAX_SESSIONS = 1_000;
    /** Sign-in attempts allowed per minute on this instance before a pause. */
    static final int MAX_FAILURES_PER_MINUTE = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Session(String csrf, Instant expiresAt) {
    }

    /** @param cookie the value for the session cookie: the only copy of the id */
    record Created(String cookie, Session session) {
    }

    private final Clock clock;
    private final Map<String, Session> byHash = new ConcurrentHashMap<>();
    private final Deque<Instant> failures = new ArrayDeque<>();

    Sessions(Clock clock) {
        this.clock = clock;
    }

    Created create() {
        Instant now = clock.instant();
        if (byHash.size() >= MAX_SESSIONS) {
            byHash.values().removeIf(s -> !s.expiresAt().isAfter(now));
            if (byHash.size() >= MAX_SESSIONS) {
                // the oldest sign-in gives way
                byHash.entrySet().stream().min(Map.Entry.comparingByValue(
                        java.util.Comparator.comparing(Session::expiresAt))).ifPresent(e -> byHash.remove(e.getKey()));
            }
        }
        String id = random();
        Session session = new Session(random(), now.plus(TTL));
        byHash.put(hash(id), session);
        return new Created(id, session);
    }

    Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        String key = hash(cookie);
        Session s = byHash.get(key);
        if (s == null) {
            return Optional.empty();
        }
        if (!s.expiresAt().isAfter(clock.instant())) {
            byHash.remove(key);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void remove(String cookie) {
        if (cookie != null && !cookie.isEmpty() && cookie.length() <= 100) {
            byHash.remove(hash(cookie));
        }
    }

    /** Records a failed sign-in; true while this instance still takes attempts. */
    synchronized boolean allowAttempt() {
        Instant cutoff = clock.instant().minus(Duration.ofMinutes(1));
        while (!failures.isEmpty() && failures.peekFirst().isBefore(cutoff)) {
            failures.removeFirst();
        }
        return failures.size() < MAX_FAILURES_PER_MINUTE;
    }

    synchronized void failed() {
        failures.addLast(clock.instant());
    }

    /** Compares two tokens in constant time. */
    static boolean same(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

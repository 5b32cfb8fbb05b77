package io.perkamo.stream;

/**
 * The topology's state stores and how their keys are built. One store holds every Space's
 * profiles (a task owns partition p of every Space's events topic), so keys start with the
 * Space slug, which can never contain the separator.
 */
public final class StoreNames {
    /** Space + user_id -> Avro Profile (binary). Queried by the API. */
    public static final String PROFILES = "profiles";
    /** Space + user_id + transaction_id -> Avro StoredDecision (binary): dedup and reversals. */
    public static final String DECISIONS = "decisions";
    /** Global: control-topic program versions, key slug:version. */
    public static final String PROGRAMS = "programs";

    private static final char SEP = '\u0000';

    private StoreNames() {
    }

    public static String profileKey(String space, String userId) {
        return space + SEP + userId;
    }

    /** user_id may hold any character, so its length is part of the key: no two pairs collide. */
    public static String decisionKey(String space, String userId, String transactionId) {
        return space + SEP + userId.length() + SEP + userId + SEP + transactionId;
    }
}

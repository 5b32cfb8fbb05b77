package io.perkamo.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.perkamo.schemas.avro.Input;
import io.perkamo.schemas.avro.InputKind;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.OutcomeDelta;
import io.perkamo.schemas.avro.OutcomeEffect;
import io.perkamo.schemas.avro.OutcomeError;
import io.perkamo.schemas.avro.OutcomeLevel;
import io.perkamo.schemas.avro.OutcomeUnlock;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.ProfileAchievement;
import io.perkamo.schemas.avro.ProfileLevel;
import io.perkamo.schemas.avro.ProfileLimitCounter;
import io.perkamo.schemas.avro.ProfilePerk;
import io.perkamo.schemas.avro.ProfileRedemption;
import io.perkamo.schemas.avro.StoredDecision;
import io.perkamo.schemas.avro.StoredDelta;
import io.perkamo.schemas.avro.StoredUnlock;

/** Fully populated example records, shared by the serde and JSON tests. */
public final class Samples {

    public static final Instant AT = Instant.parse("2026-06-01T10:00:00.123Z");

    static {
        AvroTrust.install(); // the samples are built before any serde class is loaded
    }

    private Samples() {
    }

    public static Input avroInput() {
        return Input.newBuilder()
                .setKind(InputKind.event)
                .setUserId("account:acme:42")
                .setTransactionId("order_1092")
                .setEvent("purchase.completed")
                .setContext("{\"amount\":1250,\"currency\":\"CZK\"}")
                .setOccurredAt(AT)
                .build();
    }

    public static Outcome outcome() {
        return Outcome.newBuilder()
                .setUserId("account:acme:42")
                .setKind("event")
                .setTransactionId("order_1092")
                .setEvent("purchase.completed")
                .setOccurredAt(AT)
                .setProgramVersion(3)
                .setStatus("applied")
                .setApplied(true)
                .setDuplicate(false)
                .setDelta(List.of(new OutcomeDelta("points", 50L), new OutcomeDelta("xp", -3L)))
                .setLeveledUp(true)
                .setUnlocked(List.of(new OutcomeUnlock("perk", "welcome_member", "Welcome member")))
                .setWalletState(Map.of("points", 50L, "xp", 120L))
                .setLevel(new OutcomeLevel("xp", 2, "Silver", 120L, 100L, 500L, 0.05))
                .setEffects(List.of(
                        new OutcomeEffect("rule_applied", "purchase_points", null, "points", 50L, null),
                        new OutcomeEffect("rule_skipped", "bonus", "condition_false", null, null, "currency is EUR")))
                .build();
    }

    public static Outcome rejectedRedemption() {
        return Outcome.newBuilder()
                .setUserId("u1")
                .setKind("redemption")
                .setTransactionId("r1")
                .setReward("coffee")
                .setOccurredAt(Instant.parse("2026-06-01T10:00:00Z"))
                .setProgramVersion(0)
                .setStatus("rejected")
                .setReason("insufficient_balance")
                .setApplied(false)
                .setDuplicate(false)
                .setLevel(new OutcomeLevel("xp", 3, null, 900L, 500L, null, 1.0))
                .setError(new OutcomeError("insufficient_balance", "points: 10 < 500"))
                .build();
    }

    public static Profile profile() {
        return Profile.newBuilder()
                .setUserId("account:acme:42")
                .setVersion(7)
                .setProgramVersion(3)
                .setWallets(Map.of("points", 50L, "xp", 120L))
                .setEarned(Map.of("points", 80L, "xp", 120L))
                .setLevel(new ProfileLevel("xp", 2, "Silver", 120L, 100L, 500L, 0.05))
                .setPerks(List.of(new ProfilePerk("welcome_member", "Welcome member", AT)))
                .setTraits("{\"plan\":\"pro\",\"age\":41,\"ratio\":0.25,\"tags\":[\"a\",\"b\"]}")
                .setLimits(List.of(new ProfileLimitCounter("purchase_points", "day",
                        Instant.parse("2026-06-01T00:00:00Z"), 2L)))
                .setAchievements(List.of(
                        new ProfileAchievement("five_lessons", "Five lessons", null, 3L, 0, null),
                        new ProfileAchievement("week_streak", "7-day streak", AT, 7L, 7, 20605)))
                .setRedemptions(List.of(new ProfileRedemption("coffee", 1L, AT)))
                .setCreatedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setUpdatedAt(AT)
                .build();
    }

    public static StoredDecision storedDecision() {
        return StoredDecision.newBuilder()
                .setFingerprint("ab".repeat(32))
                .setOccurredAt(AT)
                .setProgramVersion(3)
                .setStatus("redeemed")
                .setDelta(List.of(new StoredDelta("points", -500L)))
                .setUnlocked(List.of(new StoredUnlock("reward", "coffee", "Free coffee")))
                .setLeveledUp(false)
                .setReversed(true)
                .build();
    }
}

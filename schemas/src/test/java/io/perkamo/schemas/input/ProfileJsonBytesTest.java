package io.perkamo.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.perkamo.schemas.Samples;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.ProfileAchievement;
import io.perkamo.schemas.avro.ProfileLevel;
import io.perkamo.schemas.avro.ProfileLimitCounter;
import io.perkamo.schemas.avro.ProfilePerk;
import io.perkamo.schemas.avro.ProfileRedemption;
import io.perkamo.schemas.Json;

/** The API's streaming profile JSON is byte for byte the tree that the profiles topic gets. */
class ProfileJsonBytesTest {

    private static String viaTree(Profile p) {
        return new String(Json.bytes(ProfileJson.toJson(p)), StandardCharsets.UTF_8);
    }

    private static String streamed(Profile p) {
        return new String(ProfileJson.bytes(p), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteTheSampleProfileAsTheTreeDoes() {
        Profile sample = Samples.profile();

        assertThat(streamed(sample)).isEqualTo(viaTree(sample));
    }

    @Test
    void shouldWriteAnEmptyProfileAsTheTreeDoes() {
        Profile empty = Profile.newBuilder().setUserId("u").setVersion(0).build();

        assertThat(streamed(empty)).isEqualTo(viaTree(empty)).contains("\"level\":null", "\"traits\":{}");
    }

    @Test
    void shouldWriteRandomProfilesAsTheTreeDoes() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int i = 0; i < 3000; i++) {
            Profile p = randomProfile(random);

            assertThat(streamed(p)).as("profile %d: %s", i, p).isEqualTo(viaTree(p));
        }
    }

    @Test
    void shouldRefuseTraitsThatAreNotAnObjectAsTheTreeDoes() {
        Profile profile = Samples.profile();
        profile.setTraits("[1,2]");

        assertThatThrownBy(() -> ProfileJson.bytes(profile)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- generators

    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "é", "ж",
        "€", "\uD83D\uDE00", "account:acme:42", "<script>", "\u2028", "%2F"};
    private static final String[] NUMBERS = {"0", "-1", "41", "9223372036854775807", "92233720368547758070",
        "0.25", "10.0", "1e2", "1E-7", "-0.0", "3.14159265358979323846", "1.50"};

    private static String text(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    private static String jsonString(SplittableRandom r) {
        return "\"" + text(r).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
                .replace("\u0001", "\\u0001") + "\"";
    }

    private static String jsonValue(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 2 ? 5 : 7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2, 3 -> NUMBERS[r.nextInt(NUMBERS.length)];
            case 4 -> jsonString(r);
            case 5 -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(jsonValue(r, depth + 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> jsonObject(r, depth + 1);
        };
    }

    private static String jsonObject(SplittableRandom r, int depth) {
        Map<String, String> fields = new HashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            fields.put(jsonString(r), jsonValue(r, depth));
        }
        List<String> members = new ArrayList<>();
        fields.forEach((k, v) -> members.add(k + ":" + v));
        return "{" + String.join(",", members) + "}";
    }

    private static Instant instant(SplittableRandom r) {
        long millis = r.nextLong(0, 4_102_444_800_000L);
        return Instant.ofEpochMilli(r.nextBoolean() ? millis : millis / 1000 * 1000);
    }

    private static Map<String, Long> longs(SplittableRandom r) {
        Map<String, Long> m = new HashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            m.put(text(r), r.nextBoolean() ? r.nextLong() : r.nextLong(1000));
        }
        return m;
    }

    private static Profile randomProfile(SplittableRandom r) {
        List<ProfilePerk> perks = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            perks.add(new ProfilePerk(text(r), text(r), instant(r)));
        }
        List<ProfileLimitCounter> limits = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            limits.add(new ProfileLimitCounter(text(r), "day", instant(r), r.nextLong(100)));
        }
        List<ProfileAchievement> achievements = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            achievements.add(new ProfileAchievement(text(r), text(r), r.nextBoolean() ? null : instant(r),
                    r.nextLong(100), r.nextInt(30), r.nextBoolean() ? null : r.nextInt(30_000)));
        }
        List<ProfileRedemption> redemptions = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            redemptions.add(new ProfileRedemption(text(r), r.nextLong(10), instant(r)));
        }
        double[] progress = {0.0, 0.5, 1.0, 1.0 / 3, 1e-5, 0.123456789, r.nextDouble()};
        ProfileLevel level = r.nextInt(4) == 0 ? null : new ProfileLevel(text(r), r.nextInt(10),
                r.nextBoolean() ? null : text(r), r.nextLong(10_000), r.nextLong(1000),
                r.nextBoolean() ? null : r.nextLong(100_000), progress[r.nextInt(progress.length)]);
        return Profile.newBuilder()
                .setUserId(text(r))
                .setVersion(r.nextLong(1_000_000))
                .setProgramVersion(r.nextLong(10))
                .setWallets(longs(r))
                .setEarned(longs(r))
                .setLevel(level)
                .setPerks(perks)
                .setTraits(jsonObject(r, 0))
                .setLimits(limits)
                .setAchievements(achievements)
                .setRedemptions(redemptions)
                .setCreatedAt(r.nextBoolean() ? null : instant(r))
                .setUpdatedAt(r.nextBoolean() ? null : instant(r))
                .build();
    }
}

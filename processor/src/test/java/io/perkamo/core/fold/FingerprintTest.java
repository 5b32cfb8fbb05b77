package io.perkamo.core.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.google.common.hash.Hashing;

import io.perkamo.schemas.input.Input;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FingerprintTest {
    private static final Instant AT = Instant.parse("2024-05-15T10:00:00Z");

    private static Input.Event purchase(String tx, String context) {
        return new Input.Event("u1", tx, "purchase.completed", Harness.json(context), AT);
    }

    @Property(tries = 300)
    void murmur3IsTheReferenceHash(@ForAll @Size(max = 80) byte[] data, @ForAll @IntRange(min = 0) int seedA,
                                   @ForAll @IntRange(min = 0) int seedB) {
        // Guava's murmur3_128 as the reference: h1 then h2, little-endian (it sign-extends a
        // negative seed where the reference zero-extends, so only seeds >= 0 compare)
        long[] h = Murmur3.hash128x2(data, data.length, seedA, seedB);

        assertThat(littleEndian(h[0], h[1])).isEqualTo(Hashing.murmur3_128(seedA).hashBytes(data).asBytes());
        assertThat(littleEndian(h[2], h[3])).isEqualTo(Hashing.murmur3_128(seedB).hashBytes(data).asBytes());
        long[] single = Murmur3.hash128(data, data.length, seedB);
        assertThat(littleEndian(single[0], single[1])).isEqualTo(littleEndian(h[2], h[3]));
    }

    private static byte[] littleEndian(long h1, long h2) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(h1).putLong(h2).array();
    }

    @Test
    void hashesTheCanonicalTextOfThePayloadThePreviousFingerprintHashed() {
        Input[] inputs = {
                purchase("t1", "{\"currency\":\"CZK\",\"amount\":1000.00,\"note\":\"P\\u0159\\u00edli\\u0161 \\\"q\\\"\"}"),
                new Input.Redemption("u1", "t2", "coffee", Harness.json("{\"b\":[1,{\"z\":null,\"a\":true}]}"), AT),
                new Input.Identify("u1", Optional.of("t3"), Harness.json("{\"plan\":\"pro\"}"), AT)};
        for (Input input : inputs) {
            assertThat(new String(Fingerprint.canonicalBytes(input), StandardCharsets.UTF_8))
                    .isEqualTo(Fingerprint.legacyCanonicalText(input));
        }
    }

    @Test
    void isSixtyFourHexDigitsThatIgnoreKeyOrderAndNumberSpellingButNotValues() {
        String fp = Fingerprint.of(purchase("t1", "{\"amount\":1000,\"currency\":\"CZK\"}"));

        assertThat(fp).matches("[0-9a-f]{64}");
        // stored in the dedup store: a change of this value makes every stored retry a conflict
        assertThat(Fingerprint.of(purchase("t1", "{\"currency\":\"CZK\",\"amount\":1000}")))
                .isEqualTo("753b9628d494b9dda2098fd31a446f82312b34112e7262cdd7174612a1743c7f");
        assertThat(Fingerprint.of(purchase("t1", "{\"currency\":\"CZK\",\"amount\":1000.0}"))).isEqualTo(fp);
        assertThat(Fingerprint.of(purchase("t1", "{\"amount\":1001,\"currency\":\"CZK\"}"))).isNotEqualTo(fp);
        assertThat(Fingerprint.of(new Input.Event("u2", "t1", "purchase.completed",
                Harness.json("{\"amount\":1000,\"currency\":\"CZK\"}"), AT))).isNotEqualTo(fp);
    }

    @Test
    void theLegacyFingerprintIsTheSha256TheEngineStoredBefore() {
        // values written by the previous release for these payloads
        assertThat(Fingerprint.legacySha256(purchase("t1", "{\"currency\":\"CZK\",\"amount\":1000}")))
                .isEqualTo("4bb9ed87b3da1a3de8bb3c10cb027366b3f504a43e57820fce180f8f3f2e48f5");
        assertThat(Fingerprint.legacySha256(new Input.Redemption("u1", "t2", "coffee", Harness.json("{}"), AT)))
                .isEqualTo("b86cd98020c6d187e5953d76bbb0f07ba1951771f98eff51d45e86bd038f95d7");
        assertThat(Fingerprint.legacySha256(new Input.Identify("u1", Optional.of("t3"), Harness.json("{\"plan\":\"pro\"}"), AT)))
                .isEqualTo("a0926e4735053fe4da8d10131960eea01fcf91792370b2693b98719c4aa24e4b");
    }

    @Test
    void aDecisionStoredWithTheOldSha256FingerprintStillTellsDuplicatesFromConflicts() {
        // given a decision as the previous release stored it: the same summary, a SHA-256 fingerprint
        Harness h = Harness.of(EngineTest.SHOP);
        Input.Event original = purchase("t1", "{\"amount\":1000,\"currency\":\"CZK\"}");
        Outcome first = h.send(original).outcome();
        PriorDecision stored = h.store.get("t1");
        h.store.put("t1", new PriorDecision(Fingerprint.legacySha256(original), stored.occurredAt(),
                stored.programVersion(), stored.status(), stored.reason(), stored.delta(), stored.unlocked(),
                stored.leveledUp(), stored.reversed()));
        ProfileState before = h.state;

        // when the same payload comes again (re-stamped, keys in another order) and then another one
        Decision retry = h.send(new Input.Event("u1", "t1", "purchase.completed",
                Harness.json("{\"currency\":\"CZK\",\"amount\":1000}"), AT.plusSeconds(60)));
        Decision conflict = h.send(purchase("t1", "{\"amount\":9999,\"currency\":\"CZK\"}"));

        // then the retry is a duplicate with the original delta, the other payload a conflict; nothing changes
        assertThat(retry.outcome().duplicate()).isTrue();
        assertThat(retry.outcome().delta()).isEqualTo(first.delta());
        assertThat(retry.writes()).isEmpty();
        assertThat(conflict.outcome().error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo("idempotency_conflict"));
        assertThat(conflict.writes()).isEmpty();
        assertThat(h.state).isSameAs(before);
    }
}

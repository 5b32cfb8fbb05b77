package io.perkamo.core.fold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.input.CanonicalJson;
import io.perkamo.schemas.input.Input;

/**
 * Identifies an input's payload for dedup: a retry with the same fingerprint is a duplicate,
 * another one an idempotency conflict. Taken over the canonical JSON of user_id, kind, event or
 * reward, and context or traits; occurred_at is left out (SDKs re-stamp it on retries).
 *
 * <p>A fingerprint is 64 hex digits: MurmurHash3 x64 128 of the canonical UTF-8 bytes with two
 * seeds (256 bits). It is compared only with the fingerprint stored under the same user and
 * transaction_id, payloads the tenant wrote itself, so it needs no cryptographic strength, and
 * SHA-256 over a Jackson-written String cost a fifth of the fold. Decisions stored before this
 * change hold the hex SHA-256 of the same canonical text (the same length): {@link #matches}
 * recomputes that for a stored fingerprint that is not the fast one, so an old retry is still a
 * duplicate; that path ends once the old entries pass the dedup retention.
 */
final class Fingerprint {
    private static final int SEED_LOW = 1;
    private static final int SEED_HIGH = 2;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Fingerprint() {
    }

    static String of(Input input) {
        CanonicalJson.Utf8 payload = canonical(input, BUFFER.get().reset());
        long[] h = Murmur3.hash128x2(payload.bytes(), payload.length(), SEED_LOW, SEED_HIGH);
        byte[] hex = new byte[64];
        for (int i = 0; i < 4; i++) {
            putHex(hex, i * 16, h[i]);
        }
        return new String(hex, StandardCharsets.US_ASCII);
    }

    /** Whether a stored fingerprint names this input's payload: {@code current} is {@code of(input)}. */
    static boolean matches(String stored, String current, Input input) {
        return stored.equals(current) || stored.equals(legacySha256(input));
    }

    /**
     * The canonical JSON of the payload, {@code {"context":..,"event":..,"kind":..,"user_id":..}}
     * with its keys in canonical (sorted) order, written straight into the buffer.
     */
    private static CanonicalJson.Utf8 canonical(Input input, CanonicalJson.Utf8 out) {
        if (input instanceof Input.Event e) {
            out.ascii("{\"context\":").value(e.context()).ascii(",\"event\":").string(e.event());
            out.ascii(",\"kind\":").string(input.kind());
        } else if (input instanceof Input.Redemption r) {
            out.ascii("{\"context\":").value(r.context()).ascii(",\"kind\":").string(input.kind());
            out.ascii(",\"reward\":").string(r.reward());
        } else {
            out.ascii("{\"kind\":").string(input.kind());
            out.ascii(",\"traits\":").value(((Input.Identify) input).traits());
        }
        return out.ascii(",\"user_id\":").string(input.userId()).ascii("}");
    }

    /** The canonical payload bytes, for tests. */
    static byte[] canonicalBytes(Input input) {
        CanonicalJson.Utf8 payload = canonical(input, new CanonicalJson.Utf8());
        return Arrays.copyOf(payload.bytes(), payload.length());
    }

    private static void putHex(byte[] out, int at, long v) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    /** The fingerprint of decisions stored before the fast one: hex SHA-256 of the canonical text. */
    static String legacySha256(Input input) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(legacyCanonicalText(input).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The payload's canonical JSON as the previous fingerprint built it, through a tree. */
    static String legacyCanonicalText(Input input) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("user_id", input.userId());
        payload.put("kind", input.kind());
        if (input instanceof Input.Event e) {
            payload.put("event", e.event());
            payload.set("context", e.context());
        } else if (input instanceof Input.Redemption r) {
            payload.put("reward", r.reward());
            payload.set("context", r.context());
        } else {
            payload.set("traits", ((Input.Identify) input).traits());
        }
        return CanonicalJson.write(payload);
    }

    /** One buffer per thread, reused: the canonical bytes are only needed while hashing. */
    private static final ThreadLocal<CanonicalJson.Utf8> BUFFER = ThreadLocal.withInitial(CanonicalJson.Utf8::new);
}

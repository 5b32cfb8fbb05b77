package io.perkamo.core.fold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.input.CanonicalJson;
import io.perkamo.schemas.input.Input;

/** hex SHA-256 of the canonical payload; occurred_at is left out (SDKs re-stamp it on retries). */
final class Fingerprint {
    private Fingerprint() {
    }

    static String of(Input input) {
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
        byte[] hash = SHA256.get().digest(CanonicalJson.write(payload).getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(hash);
    }

    private static final HexFormat HEX = HexFormat.of();

    /** One digest per thread (digest() resets it): looking the algorithm up per input showed in profiles. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });
}

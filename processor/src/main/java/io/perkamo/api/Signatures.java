package io.perkamo.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * v1 request signatures: {@code x-perkamo-signature: v1=<hex>} where hex is
 * HMAC-SHA256(key = the API key, message = {@code v1.{timestamp}.{METHOD}.{path}.{sha256 hex of
 * the raw body}}), path as sent on the request line (still percent-encoded, no query string),
 * timestamp {@code x-perkamo-timestamp} in unix seconds within {@link #WINDOW} of server time.
 * Several comma-separated candidates are accepted (key rotation on the client side).
 */
final class Signatures {
    static final String SIGNATURE_HEADER = "x-perkamo-signature";
    static final String TIMESTAMP_HEADER = "x-perkamo-timestamp";
    static final Duration WINDOW = Duration.ofSeconds(300);
    private static final HexFormat HEX = HexFormat.of();

    private Signatures() {
    }

    /** The header value the SDK would send. */
    static String sign(String apiKey, String timestamp, String method, String path, byte[] body) {
        String message = "v1." + timestamp + "." + method.toUpperCase(Locale.ROOT) + "." + path + "." + sha256Hex(body);
        return "v1=" + HEX.formatHex(hmac(apiKey, message));
    }

    /**
     * Verifies a presented signature; throws {@link ApiError} 401 {@code signature_expired} or
     * {@code invalid_signature}.
     */
    static void verify(String apiKey, String signatureHeader, String timestampHeader, String method, String path,
                       byte[] body, Clock clock) {
        if (timestampHeader == null || timestampHeader.isBlank()) {
            throw ApiError.unauthorized("invalid_signature",
                    "x-perkamo-timestamp (unix seconds) is required with x-perkamo-signature");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            throw ApiError.unauthorized("invalid_signature", "x-perkamo-timestamp must be unix seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > WINDOW.toSeconds()) {
            throw ApiError.unauthorized("signature_expired",
                    "x-perkamo-timestamp is more than " + WINDOW.toSeconds()
                            + " s away from server time; sign with a fresh timestamp");
        }
        byte[] expected = sign(apiKey, timestampHeader.trim(), method, path, body).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : signatureHeader.split(",")) {
            String c = candidate.trim().toLowerCase(Locale.ROOT);
            // evaluate every candidate: no early exit on the secret comparison
            match |= MessageDigest.isEqual(expected, c.getBytes(StandardCharsets.US_ASCII));
        }
        if (!match) {
            throw ApiError.unauthorized("invalid_signature",
                    "x-perkamo-signature does not match v1.{timestamp}.{METHOD}.{path}.{sha256(body)}");
        }
    }

    static String sha256Hex(byte[] body) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}

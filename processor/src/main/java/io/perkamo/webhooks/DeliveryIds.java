package io.perkamo.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids derived from where an outcome is, never drawn at random: a restarted sender (or another
 * instance) reading the same outcome again names it and its deliveries exactly as before.
 */
final class DeliveryIds {
    private DeliveryIds() {
    }

    /** The payload's {@code id} (and {@code webhook-id}): one per outcome, whatever the endpoint. */
    static String eventId(String space, int partition, long offset) {
        return "evt_" + hash("perkamo/webhook-event/" + space + "/" + partition + "/" + offset);
    }

    /** {@code x-perkamo-delivery}: one per (endpoint, outcome), the same for every attempt and resend. */
    static String deliveryId(String endpointId, String eventId) {
        return "dlv_" + hash("perkamo/webhook-delivery/" + endpointId + "/" + eventId);
    }

    private static String hash(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

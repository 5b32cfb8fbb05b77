package io.perkamo.node;

import java.util.List;
import java.util.Optional;

import io.perkamo.console.Console;
import io.perkamo.topics.WebhookDelivery;
import io.perkamo.webhooks.DeliveryLog;

/** The console's webhook delivery log: the same {@link DeliveryLog} reads and resend as the admin API. */
final class ConsoleWebhooks implements Console.Webhooks {
    private final DeliveryLog deliveries;

    ConsoleWebhooks(DeliveryLog deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public List<WebhookDelivery> recent(String space, int limit) {
        return deliveries.recent(new DeliveryLog.Query(space, Optional.empty(), Optional.empty(), limit));
    }

    @Override
    public Console.Resend resend(String space, String deliveryId) {
        DeliveryLog.Resend r = deliveries.resend(space, deliveryId);
        if (r instanceof DeliveryLog.Resent) {
            return Console.Resend.RESENT;
        }
        if (r instanceof DeliveryLog.NotFinished) {
            return Console.Resend.NOT_FINISHED;
        }
        if (r instanceof DeliveryLog.NoPayload) {
            return Console.Resend.PAYLOAD_GONE;
        }
        return Console.Resend.UNKNOWN;
    }
}

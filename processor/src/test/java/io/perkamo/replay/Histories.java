package io.perkamo.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ProgramVersion;
import io.perkamo.local.DemoSpace;
import io.perkamo.schemas.Json;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.Partitioning;
import io.perkamo.topics.Topics;

/** Histories in memory for replay tests: records as the events topic holds them, on their partitions. */
final class Histories {
    private Histories() {
    }

    /** One record of {@code user} on the partition murmur2 gives it, with the next offset of that partition. */
    static final class Builder {
        private final int partitions;
        private final long[] offsets;
        private final List<LogRecord> records = new ArrayList<>();

        Builder(int partitions) {
            this.partitions = partitions;
            this.offsets = new long[partitions];
        }

        Builder add(String user, ObjectNode value, Instant recordTime) {
            byte[] key = user.getBytes(StandardCharsets.UTF_8);
            int p = Partitioning.partitionOf(key, partitions);
            byte[] bytes;
            try {
                bytes = Json.MAPPER.writeValueAsBytes(value);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            records.add(new LogRecord(p, offsets[p]++, recordTime.toEpochMilli(), key, bytes, new RecordHeaders()));
            return this;
        }

        SpaceHistory history(String space, List<ProgramVersion> programs) {
            return new SpaceHistory(space, programs, EventLog.of(Topics.EVENTS.name(space), partitions, records),
                    new InputDecoder(Optional.empty()));
        }
    }

    static ObjectNode event(String user, String tx, String event, Instant at) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("user_id", user).put("event", event).put("transaction_id", tx).put("occurred_at", at.toString());
        v.putObject("context");
        return v;
    }

    static ObjectNode redemption(String user, String tx, String reward, Instant at) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("user_id", user).put("kind", "redemption").put("reward", reward).put("transaction_id", tx)
                .put("occurred_at", at.toString());
        return v;
    }

    /** The demo program's Space: 30 users, purchases, lessons, registrations, refunds and coffee redemptions over 12 days. */
    static SpaceHistory demo(String space, int inputs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Builder b = new Builder(3);
        Instant t0 = Instant.parse("2026-04-01T08:00:00Z");
        for (int i = 0; i < inputs; i++) {
            String user = "user-" + random.nextInt(30);
            Instant at = t0.plus(Duration.ofMinutes(i * 12L * 24 * 60 / inputs));
            int kind = random.nextInt(100);
            ObjectNode v;
            if (kind < 55) {
                v = event(user, "tx-" + i, "purchase.completed", at);
                ((ObjectNode) v.get("context")).put("amount", random.nextLong(1000, 60_000)).put("currency", "CZK");
            } else if (kind < 80) {
                v = event(user, "tx-" + i, "lesson.finished", at);
            } else if (kind < 85) {
                v = event(user, "tx-" + i, "user.registered", at);
            } else if (kind < 90) {
                v = event(user, "tx-" + i, "purchase.refunded", at);
                ((ObjectNode) v.get("context")).put("order_transaction_id", "tx-" + random.nextInt(Math.max(1, i)));
            } else {
                v = redemption(user, "tx-" + i, "coffee", at);
            }
            b.add(user, v, at);
        }
        return b.history(space, List.of(LiveFold.version(space, 1, Instant.EPOCH, DemoSpace.program())));
    }
}

package io.perkamo.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.InputJson;

/**
 * One generated data set, as the Kafka records a producer would write to a Space's events
 * topic (key user_id, JSON value). Mix of new inputs (demo program): 55% purchases (formula
 * {{amount}} / 100, mostly CZK so the CEL condition holds), 25% lessons, 5% registrations,
 * 5% refunds, 5% identifies, 5% redemptions; on top of that 5% of all records are retries
 * (the same bytes re-sent: same transaction_id and payload) and 1% are malformed (bad JSON
 * or an invalid event name: they go to the DLQ).
 */
final class BenchData {
    final byte[][] keys;
    final byte[][] values;
    final String[] users;

    private BenchData(byte[][] keys, byte[][] values, String[] users) {
        this.keys = keys;
        this.values = values;
        this.users = users;
    }

    int size() {
        return keys.length;
    }

    static BenchData generate(int users, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] keys = new byte[count][];
        byte[][] values = new byte[count][];
        String[] names = new String[users];
        for (int u = 0; u < users; u++) {
            names[u] = "user-" + u;
        }
        String[] lastPurchase = new String[users];
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        JsonNodeFactory f = JsonNodeFactory.instance;
        int[] recent = new int[1024];
        int recentCount = 0;
        for (int i = 0; i < count; i++) {
            t = t.plus(Duration.ofMillis(random.nextInt(0, 2000)));
            int roll = random.nextInt(100);
            if (roll == 0) {
                int u = random.nextInt(users);
                keys[i] = names[u].getBytes(StandardCharsets.UTF_8);
                values[i] = random.nextBoolean()
                        ? ("{\"user_id\":\"" + names[u] + "\",\"event\":").getBytes(StandardCharsets.UTF_8)
                        : ("{\"user_id\":\"" + names[u] + "\",\"event\":\"Purchase Completed\",\"transaction_id\":\"bad-"
                                + i + "\"}").getBytes(StandardCharsets.UTF_8);
                continue;
            }
            if (roll <= 5 && recentCount > 0) {
                int from = recent[random.nextInt(Math.min(recentCount, recent.length))];
                keys[i] = keys[from];
                values[i] = values[from];
                continue;
            }
            int u = random.nextInt(users);
            String user = names[u];
            String tx = "tx-" + i;
            int kind = random.nextInt(100);
            ObjectNode ctx = f.objectNode();
            Input input;
            if (kind < 55) {
                ctx.put("amount", random.nextLong(100, 500_000));
                ctx.put("currency", random.nextInt(10) == 0 ? "EUR" : "CZK");
                ctx.put("order_id", "o-" + i);
                lastPurchase[u] = tx;
                input = new Input.Event(user, tx, "purchase.completed", ctx, t);
            } else if (kind < 80) {
                ctx.put("lesson", "l-" + random.nextInt(50));
                input = new Input.Event(user, tx, "lesson.finished", ctx, t);
            } else if (kind < 85) {
                input = new Input.Event(user, tx, "user.registered", ctx, t);
            } else if (kind < 90) {
                ctx.put("order_transaction_id", lastPurchase[u] == null ? "none" : lastPurchase[u]);
                input = new Input.Event(user, tx, "purchase.refunded", ctx, t);
            } else if (kind < 95) {
                ctx.put("plan", random.nextBoolean() ? "pro" : "free");
                input = new Input.Identify(user, Optional.empty(), ctx, t);
            } else {
                input = new Input.Redemption(user, tx, "coffee", ctx, t);
            }
            keys[i] = user.getBytes(StandardCharsets.UTF_8);
            values[i] = InputJson.toJsonBytes(input);
            if (input.transactionId().isPresent()) {
                recent[recentCount++ % recent.length] = i;
            }
        }
        return new BenchData(keys, values, names);
    }
}

package io.perkamo.console;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.perkamo.control.Space;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.topics.OutcomeFeed;

/**
 * The live event log: a Space's outcomes as they are committed, as server-sent events of
 * rendered table rows, filtered by status and event key. Each open page has its own sender
 * thread and a bounded queue, so a slow browser never holds up the feed (it skips rows instead).
 */
final class LivePages {
    private static final Logger log = LoggerFactory.getLogger(LivePages.class);
    static final List<String> STATUSES = List.of("applied", "duplicate", "rejected", "redeemed");
    static final int MAX_STREAMS = 50;
    private static final long PING_SECONDS = 15;
    private final Views views;
    private final Chrome chrome;
    private final OutcomeFeed feed;
    private final AtomicInteger open = new AtomicInteger();

    LivePages(Views views, Chrome chrome, OutcomeFeed feed) {
        this.views = views;
        this.chrome = chrome;
        this.feed = feed;
    }

    void show(Context ctx, Space space) {
        String status = status(ctx.queryParam("status"));
        String event = Optional.ofNullable(ctx.queryParam("event")).orElse("").strip();
        String url = Web.BASE + "/spaces/" + space.slug() + "/live/stream?status=" + Web.enc(status) + "&event="
                + Web.enc(event);
        Web.html(ctx, 200, views.render("live", new Model.LiveView(chrome.page(ctx, "Live · " + space.slug(),
                Optional.of(space), "live"), status, event, STATUSES, url)));
    }

    /** Runs on the request's thread: subscribes, then returns with the stream kept open. */
    void stream(SseClient client, Space space) {
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            client.sendEvent("busy", "too many live views are open on this instance");
            client.close();
            return;
        }
        String status = status(client.ctx().queryParam("status"));
        String event = Optional.ofNullable(client.ctx().queryParam("event")).orElse("").strip();
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(1_000);
        AtomicInteger skipped = new AtomicInteger();
        OutcomeFeed.Subscription subscription = feed.subscribe(space.slug(), item -> {
            if (matches(item.outcome(), status, event)
                    && !queue.offer(views.render("fragments/liverow", row(space, item)).replace("\n", ""))) {
                skipped.incrementAndGet();
            }
        });
        client.keepAlive();
        Thread sender = new Thread(() -> send(client, queue, skipped), "perkamo-console-live");
        sender.setDaemon(true);
        client.onClose(() -> {
            subscription.close();
            sender.interrupt();
        });
        sender.start();
        client.sendEvent("ready", "listening");
    }

    private void send(SseClient client, BlockingQueue<String> queue, AtomicInteger skipped) {
        try {
            while (!client.terminated()) {
                String row = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
                if (row == null) {
                    client.sendComment("ping");
                    continue;
                }
                client.sendEvent("outcome", row);
                int s = skipped.getAndSet(0);
                if (s > 0) {
                    client.sendEvent("skipped", Integer.toString(s));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("live view closed: {}", e.toString());
        } finally {
            open.decrementAndGet();
            client.close();
        }
    }

    static boolean matches(Outcome o, String status, String event) {
        if (!status.isEmpty() && !status.equals(o.getStatus())) {
            return false;
        }
        if (event.isEmpty()) {
            return true;
        }
        String key = o.getEvent() != null ? o.getEvent() : o.getReward() != null ? o.getReward() : o.getKind();
        return event.endsWith("*") ? key.startsWith(event.substring(0, event.length() - 1)) : key.equals(event);
    }

    private static String status(String s) {
        return s != null && STATUSES.contains(s) ? s : "";
    }

    private static Model.LiveRow row(Space space, OutcomeFeed.Item item) {
        Outcome o = item.outcome();
        Model.HistoryRow h = CustomerPages.row(o, item.timestamp());
        String effects = String.join(" ", Explain.effects(o).stream().map(Model.EffectRow::sentence).toList());
        return new Model.LiveRow(Formats.time(item.timestamp()), o.getUserId(), Web.BASE + "/spaces/" + space.slug()
                + "/customers?user_id=" + Web.enc(o.getUserId()), h.subject(), h.status(), h.statusKind(), h.delta(),
                h.transactionId(), effects);
    }
}

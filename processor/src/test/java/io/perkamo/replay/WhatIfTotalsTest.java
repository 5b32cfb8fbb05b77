package io.perkamo.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;

/**
 * A what-if small enough to compute by hand: live earns {{amount}}/100 points, the draft
 * {{amount}}/50 from day 2 on (a back-dated input of day 1 keeps the live rule), with a
 * reversal and redemptions of a 100-point reward, one of which the draft turns from rejected
 * into redeemed. The expected figures are worked out in the comments, not by the code.
 */
class WhatIfTotalsTest {
    private static final Instant DAY1 = Instant.parse("2026-04-01T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-04-02T10:00:00Z");
    private static final Instant DAY3 = Instant.parse("2026-04-03T10:00:00Z");
    private static final String LIVE = """
            wallets: [{key: points, name: Points}]
            rules:
              - {key: purchase, event: purchase.completed, award: [{wallet: points, amount: "{{amount}} / %d"}]}
              - {key: refund, event: purchase.refunded, reverse: "{{order_transaction_id}}"}
            rewards: [{key: coffee, name: Coffee, cost: {wallet: points, amount: 100}}]
            """;

    @Test
    void shouldTotalCreditsDebitsAndBalancesOfBothLanesAsWorkedOutByHand() throws Exception {
        // given
        Histories.Builder log = new Histories.Builder(2);
        log.add("a", purchase("a", "a-1", 10_000, DAY1), DAY1);                 // live +100, draft +100 (before day 2)
        log.add("a", purchase("a", "a-2", 5_000, DAY2), DAY2);                  // live +50,  draft +100
        log.add("a", Histories.redemption("a", "a-3", "coffee", DAY2), DAY2);   // both redeem: -100 (a: 50 | 100)
        ObjectNode refund = Histories.event("a", "a-4", "purchase.refunded", DAY3);
        ((ObjectNode) refund.get("context")).put("order_transaction_id", "a-2");
        log.add("a", refund, DAY3);                                             // live -50, draft -100 (a: 0 | 0)
        log.add("a", Histories.redemption("a", "a-5", "coffee", DAY3), DAY3);   // both rejected
        log.add("b", purchase("b", "b-1", 20_000, DAY2), DAY2);                 // live +200, draft +400
        log.add("b", Histories.redemption("b", "b-2", "coffee", DAY2), DAY2);   // both redeem (b: 100 | 300)
        log.add("b", purchase("b", "b-3", 1_000, DAY1), DAY3);                  // back-dated: +10 in both (b: 110 | 310)
        log.add("c", purchase("c", "c-1", 9_000, DAY2), DAY2);                  // live +90, draft +180
        log.add("c", Histories.redemption("c", "c-2", "coffee", DAY2), DAY2);   // live rejected, draft redeemed (c: 90 | 80)
        ObjectNode live = (ObjectNode) Programs.YAML.readTree(LIVE.formatted(100));
        ObjectNode draft = (ObjectNode) Programs.YAML.readTree(LIVE.formatted(50));

        // when
        WhatIfReport report;
        try (SpaceHistory history = log.history("totals", List.of(LiveFold.version("totals", 1, Instant.EPOCH, live)))) {
            report = Replay.whatIf(history, ((ProgramParse.Parsed) Programs.parse(draft)).definition(),
                    Instant.parse("2026-04-02T00:00:00Z"), new Replay.Options(Window.ALL, Duration.ofDays(30), 2,
                            Limits.NONE), Progress.silent());
        }

        // then
        JsonNode s = report.summary();
        assertThat(s.path("inputs").asLong()).isEqualTo(10);
        assertThat(s.path("users").asLong()).isEqualTo(3);
        JsonNode points = s.path("wallets").path("points");
        // live: credited 100+50+200+10+90, debited 100+50+100, outstanding 0+110+90
        assertThat(totals(points.path("live"))).containsExactly(450L, 250L, 200L);
        // draft: credited 100+100+400+10+180, debited 100+100+100+100, outstanding 0+310+80
        assertThat(totals(points.path("draft"))).containsExactly(790L, 400L, 390L);
        assertThat(totals(points.path("difference"))).containsExactly(340L, 150L, 190L);
        assertThat(s.path("credits_by_rule").path("purchase").path("points").path("live").asLong()).isEqualTo(450);
        assertThat(s.path("credits_by_rule").path("purchase").path("points").path("draft").asLong()).isEqualTo(790);
        assertThat(s.path("redemptions").path("total").asLong()).isEqualTo(4);
        assertThat(s.path("redemptions").path("changes").path("rejected (insufficient_balance) -> redeemed").asLong())
                .isEqualTo(1);
        assertThat(s.path("redemptions").path("examples").get(0).path("user_id").asText()).isEqualTo("c");
        // a ends at 0 in both; b moves by 200, c by 10
        assertThat(s.path("differing_users").asLong()).isEqualTo(2);
        assertThat(s.path("top_movers").findValuesAsText("user_id")).containsExactly("b", "c");
        assertThat(s.path("program").path("draft_version").asLong()).isEqualTo(2);
    }

    private static ObjectNode purchase(String user, String tx, long amount, Instant at) {
        ObjectNode v = Histories.event(user, tx, "purchase.completed", at);
        ((ObjectNode) v.get("context")).put("amount", amount);
        return v;
    }

    private static List<Long> totals(JsonNode lane) {
        return List.of(lane.path("credited").asLong(), lane.path("debited").asLong(), lane.path("outstanding").asLong());
    }
}

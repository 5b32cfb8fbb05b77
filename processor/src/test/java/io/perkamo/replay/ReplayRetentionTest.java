package io.perkamo.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.perkamo.control.ProgramVersion;
import io.perkamo.core.program.Programs;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.Topics;

/**
 * Dedup retention as the stream applies it (a sweep on stream time): retries before, at and
 * after the end of their original's retention, with record times out of order, are decided by
 * the replay exactly as by the live processor.
 */
class ReplayRetentionTest {
    private static final String PROGRAM = "{\"wallets\": [{\"key\": \"points\", \"name\": \"Points\"}],"
            + " \"rules\": [{\"key\": \"lesson\", \"event\": \"lesson.finished\", \"award\": [{\"wallet\": \"points\","
            + " \"amount\": 10}]}]}";

    @Test
    void shouldForgetATransactionIdWhenAndOnlyWhenTheLiveProcessorDoes() throws Exception {
        // given retries of one transaction every 7 minutes for 10 hours, a few record times out of
        // order, and a 2-hour retention swept every hour of stream time
        Duration retention = Duration.ofHours(2);
        Instant t = LiveFold.T0;
        List<LiveFold.Produced> produced = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            long minute = i % 11 == 5 ? 7L * i - 95 : 7L * i;
            String tx = i % 13 == 0 ? "b" + i : "a";
            String value = "{\"user_id\":\"u1\",\"event\":\"lesson.finished\",\"transaction_id\":\"" + tx
                    + "\",\"occurred_at\":\"" + t + "\"}";
            produced.add(new LiveFold.Produced("u1", value.getBytes(StandardCharsets.UTF_8),
                    t.plus(Duration.ofMinutes(minute))));
        }
        ProgramVersion version = LiveFold.version("ret", 1, Instant.EPOCH,
                (com.fasterxml.jackson.databind.node.ObjectNode) Programs.YAML.readTree(PROGRAM));
        List<String> live;
        try (LiveFold fold = new LiveFold(retention)) {
            fold.publish(List.of(version));
            fold.produce("ret", produced);
            live = fold.outcomes("ret");
        }
        List<LogRecord> log = new ArrayList<>();
        for (int i = 0; i < produced.size(); i++) {
            LiveFold.Produced p = produced.get(i);
            log.add(new LogRecord(0, i, p.timestamp().toEpochMilli(), p.key().getBytes(StandardCharsets.UTF_8),
                    p.value(), new RecordHeaders()));
        }

        // when it is replayed with the same retention
        ReplayedLanes replayed = ReplayedLanes.of(new SpaceHistory("ret", List.of(version),
                EventLog.of(Topics.EVENTS.name("ret"), 1, log), new InputDecoder(Optional.empty())),
                Optional.empty(), retention);

        // then every decision is the live one, and some retries were forgotten (the case is not vacuous)
        assertThat(replayed.liveOutcomes).isEqualTo(live);
        assertThat(live).anyMatch(o -> o.contains("\"duplicate\":true"));
        assertThat(live.stream().filter(o -> o.contains("\"transaction_id\":\"a\"") && o.contains("\"duplicate\":false")))
                .hasSizeGreaterThan(2);
    }
}

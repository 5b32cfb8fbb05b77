package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.perkamo.schemas.Json;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.Topics;
import io.perkamo.usage.UsageCounts;
import io.perkamo.usage.UsageDay;

class UsageCommandIT {

    @Test
    void shouldPrintTheLatestCountersOfEachDayAndZerosForDaysWithoutActivity() throws Exception {
        // given a Space whose usage topic holds two versions of one day
        String bootstrap = TestKafka.bootstrapServers();
        String slug = TestKafka.uniqueSlug("cli-usage");
        CliRun.createSpace(slug, "test", 1, bootstrap);
        LocalDate day = LocalDate.of(2026, 3, 2);
        UsageCounts older = new UsageCounts(1, 0, 1, 0, 0, Map.of(), Map.of(), 0, Map.of(), 1, 0, 0, 0);
        UsageCounts newer = new UsageCounts(3, 2, 4, 1, 0, Map.of(), Map.of("invalid_json", 1L), 0,
                Map.of("insufficient_balance", 1L), 2, 0, 0, 0);
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(KafkaClients.producerConfig(bootstrap, "usage-cli"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (UsageCounts c : new UsageCounts[] {older, newer}) {
                p.send(new ProducerRecord<>(Topics.USAGE.name(slug), day.toString(),
                        Json.bytes(new UsageDay(slug, day, c).json()))).get();
            }
        }

        // when
        CliRun run = CliRun.perkamo("usage", "--space", slug, "--from", "2026-03-01", "--to", "2026-03-02",
                "--bootstrap-servers", bootstrap);

        // then
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage of Space " + slug)
                .containsPattern("DATE +INPUTS +APPLIED +DUPLICATES")
                .containsPattern("2026-03-01( +0){11}")
                .containsPattern("2026-03-02 +5 +4 +1 +0 +0 +1 +0 +1 +2 +0 +0");
    }
}

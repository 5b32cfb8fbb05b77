package io.perkamo.usage;

import java.util.regex.Pattern;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.perkamo.topics.Topics;
import io.perkamo.topics.WebhookDeliveryJson;
import io.perkamo.topics.WireFormats;

/**
 * The usage meters as a pure function of configuration. Shape:
 *
 * <pre>
 * perkamo.*.outcomes, perkamo.*.dlq, perkamo.*.webhook-deliveries (read_committed)
 *   --classify (per partition; active-customer markers)--> change keyed "slug day"
 *   --repartition by (slug, day)--> sum into {@link #DAYS} --> perkamo.&lt;slug&gt;.usage (key: the date)
 * </pre>
 *
 * It runs as its own exactly-once Streams application: a change and the offsets of the records
 * it came from commit in one transaction, so a crash neither loses nor repeats a count.
 */
public final class UsageTopology {
    /** (slug, day) -> the day's counters. Queried by {@link UsageStreams#days}. */
    static final String DAYS = "usage-days";
    /** (day, slug, user_id) -> marker: the user already counts as active that day. */
    static final String MARKERS = "usage-active-markers";

    static final Serde<UsageCounts> COUNTS = Serdes.serdeFrom(
            (topic, c) -> c == null ? null : c.bytes(),
            (topic, bytes) -> bytes == null ? null : UsageCounts.fromBytes(bytes));

    private UsageTopology() {
    }

    /** Every topic the meters read, those of Spaces created later included. */
    static Pattern sources() {
        return Pattern.compile(Topics.OUTCOMES.pattern().pattern() + "|" + Topics.DLQ.pattern().pattern() + "|"
                + Topics.WEBHOOK_DELIVERIES.pattern().pattern());
    }

    public static Topology build(WireFormats formats) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MARKERS),
                Serdes.String(), Serdes.ByteArray()));
        builder.stream(sources(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new UsageClassifier(Topics.OUTCOMES.valueSerde(formats).deserializer(),
                        WebhookDeliveryJson.serde().deserializer()), MARKERS)
                .groupByKey(Grouped.with("usage-by-day", Serdes.String(), COUNTS))
                .reduce(UsageCounts::plus, Materialized.<String, UsageCounts, KeyValueStore<Bytes, byte[]>>as(DAYS)
                        .withKeySerde(Serdes.String()).withValueSerde(COUNTS))
                .toStream()
                .map((key, counts) -> KeyValue.pair(UsageKeys.dateOf(key).toString(), new UsageDay(UsageKeys.spaceOf(key), UsageKeys.dateOf(key),
                        counts)))
                .to((key, day, ctx) -> Topics.USAGE.name(day.space()),
                        Produced.with(Serdes.String(), UsageDay.SERDE));
        return builder.build();
    }
}

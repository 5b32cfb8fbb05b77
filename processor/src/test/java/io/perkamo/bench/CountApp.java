package io.perkamo.bench;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The baseline: the most trivial stateful exactly-once job, a count per key on RocksDB, with
 * the same commit interval and compression as the Perkamo processor. What it reaches is the
 * practical limit of this machine for a stateful EOS Streams job.
 *
 * <p>Args: bootstrap input-topic output-topic state-dir threads. Prints "RUNNING" when ready.
 */
public final class CountApp {
    private CountApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.Bytes(), Serdes.Bytes()))
                .groupByKey()
                .count(Materialized.as("counts"))
                .toStream()
                .to(output, Produced.with(Serdes.Bytes(), Serdes.Long()));
        run(builder.build(), "bench-count", bootstrap, args[3], Integer.parseInt(args[4]),
                Integer.parseInt(args.length > 5 ? args[5] : "100"));
    }

    /**
     * Runs a baseline topology with the Perkamo processor's exactly-once settings (commit
     * interval, compression) until the process is stopped; prints each state ("RUNNING").
     */
    static void run(Topology topology, String applicationId, String bootstrap, String stateDir, int threads,
                    int commitIntervalMs) throws InterruptedException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        KafkaStreams streams = new KafkaStreams(topology, p);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println(now);
            System.out.flush();
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(java.time.Duration.ofSeconds(10));
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}

package io.perkamo.replay;

import java.util.List;

/**
 * The records of one Space's events topic, in each partition's offset order: the cluster's
 * ({@link KafkaEventLog}), an export's ({@link ExportFile}) or a list in memory.
 */
public interface EventLog extends AutoCloseable {

    /** The events topic's name (the DLQ decisions and the Avro subject depend on it). */
    String topic();

    /** The topic's partition count, which the router hashes user_ids against. */
    int partitions();

    /** How many records {@link #read} will hand over, when known up front (offsets can include gaps). */
    long expectedRecords();

    /**
     * Hands every record to {@code sink}, in batches of one partition each, each partition in
     * offset order (partitions interleave). Returns when the log is read or the sink says stop.
     */
    void read(Sink sink) throws InterruptedException;

    /** Receives the records of {@link #read}. */
    interface Sink {
        /** @return false to stop reading */
        boolean accept(int partition, List<LogRecord> batch) throws InterruptedException;
    }

    @Override
    default void close() {
    }

    /** A log held in memory: the records in the order given (each partition's in offset order). */
    static EventLog of(String topic, int partitions, List<LogRecord> records) {
        List<LogRecord> copy = List.copyOf(records);
        return new EventLog() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partitions() {
                return partitions;
            }

            @Override
            public long expectedRecords() {
                return copy.size();
            }

            @Override
            public void read(Sink sink) throws InterruptedException {
                for (LogRecord r : copy) {
                    if (!sink.accept(r.partition(), List.of(r))) {
                        return;
                    }
                }
            }
        };
    }
}

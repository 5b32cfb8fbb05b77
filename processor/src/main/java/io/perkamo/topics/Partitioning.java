package io.perkamo.topics;

import org.apache.kafka.common.utils.Utils;

/** The Java client's default partitioner for keyed records: murmur2 of the key bytes. */
public final class Partitioning {
    private Partitioning() {
    }

    public static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}

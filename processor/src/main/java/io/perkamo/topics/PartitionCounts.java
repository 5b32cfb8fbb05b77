package io.perkamo.topics;

/** How many partitions a topic has: the router needs it to see where the Java partitioner puts a key. */
@FunctionalInterface
public interface PartitionCounts {
    int of(String topic);
}

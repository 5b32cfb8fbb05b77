package io.perkamo.topics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;

/**
 * Where a record of a Space's events topic goes, decided from the record alone: refused (to
 * the DLQ, with a code), moved (it sits on another partition than the Java partitioner picks
 * for its user_id: the copy on the right partition is the one folded) or folded here. The
 * stream's router and replay both decide through this, so a replay sees the log exactly as the
 * processor did.
 */
public final class InputRouting {
    private InputRouting() {
    }

    public sealed interface Route permits Refuse, Move, Fold {
    }

    /** Invalid: the DLQ, with the original bytes and this reason. */
    public record Refuse(String code, String message) implements Route {
    }

    /**
     * Valid, but on another partition than murmur2(user_id) picks (or without a key): written once
     * more, keyed by the user_id, to {@code partition}; only that copy is folded.
     */
    public record Move(byte[] userKey, int partition) implements Route {
    }

    /**
     * Folded where it is. {@code misplaced}: moved once already and still not where murmur2 says,
     * because the partition count changed in between; folded here rather than bounced forever.
     */
    public record Fold(Input input, boolean misplaced) implements Route {
    }

    /**
     * @param partition  the partition the record is on
     * @param partitions the topic's partition count now (asked only for valid records)
     * @param rerouted   whether the record carries {@link PerkamoHeaders#REROUTED}
     */
    public static Route route(InputDecoder decoder, String topic, int partition, PartitionCounts partitions,
                              byte[] key, byte[] value, long timestamp, boolean rerouted) {
        InputDecoder.Decoded decoded = decoder.decode(topic, value, Instant.ofEpochMilli(timestamp));
        if (decoded instanceof InputDecoder.Refused refused) {
            return new Refuse(refused.code(), refused.message());
        }
        Input input = ((InputDecoder.Accepted) decoded).input();
        byte[] userKey = input.userId().getBytes(StandardCharsets.UTF_8);
        if (key != null && !Arrays.equals(key, userKey)) {
            return new Refuse(ErrorCodes.KEY_MISMATCH,
                    "the record key must be the user_id (UTF-8); it differs from user_id in the value");
        }
        int expected = Partitioning.partitionOf(userKey, partitions.of(topic));
        boolean wrongPlace = key == null || partition != expected;
        if (wrongPlace && !rerouted) {
            return new Move(userKey, expected);
        }
        return new Fold(input, wrongPlace);
    }
}

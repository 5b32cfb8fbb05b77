package io.perkamo.replay;

import java.time.Duration;
import java.util.Optional;

import io.perkamo.core.program.ProgramHistory;
import io.perkamo.topics.InputDecoder;

/**
 * What one replay folds with: the log's topic and partition count (the router hashes against
 * it), the decoder (a schema registry for Avro inputs, as the processor has), the window, the
 * deployment's dedup retention, the live program history and, for a what-if, the draft's.
 *
 * @param threads fold threads (at most one per partition)
 */
record ReplaySettings(String topic, int partitions, InputDecoder decoder, Window window, Duration dedupRetention,
                      ProgramHistory live, Optional<ProgramHistory> draft, int threads, Limits limits) {

    ReplaySettings {
        if (dedupRetention.isNegative() || dedupRetention.isZero()) {
            throw new IllegalArgumentException("the dedup retention must be positive");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("the events topic needs at least one partition");
        }
    }
}

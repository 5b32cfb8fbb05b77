package io.perkamo.replay;

import java.time.Instant;
import java.util.Optional;

/**
 * Which part of the log a replay reports on, by record time (when inputs entered the log), per
 * partition like Kafka's offsets-for-times: from the first record at or after {@code from}
 * (earlier records are folded, since state needs them, but not counted), up to the first record
 * at or after {@code to} (that one and the rest are not read).
 */
public record Window(Optional<Instant> from, Optional<Instant> to) {
    public static final Window ALL = new Window(Optional.empty(), Optional.empty());

    public Window {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("--from must be before --to");
        }
    }
}

package io.perkamo.replay;

import java.util.Optional;

import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.input.Input;

/**
 * What a report learns from the loop, one call per record, on the thread of the record's
 * partition: each partition has its own observer (no locks), merged at the end.
 *
 * <p>{@code counted}: the record is inside the report's window ({@code --from}); records before
 * it are folded (the state needs them) but not counted.
 */
interface Observer {
    /** Invalid (or the fold failed in every lane): the stream's DLQ. */
    void refused(LogRecord record, String code, boolean counted);

    /** On another partition than its user_id hashes to: its moved copy is the one folded. */
    default void moved(LogRecord record, boolean counted) {
    }

    /**
     * Folded; a lane's result is empty when the fold failed there (the stream would DLQ it).
     * {@code draft} is empty in an audit.
     */
    void folded(LogRecord record, Input input, Optional<FoldStep.Result> live, Optional<FoldStep.Result> draft,
                boolean counted);
}

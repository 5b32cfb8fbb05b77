package io.perkamo.api;

import java.util.List;
import java.util.Optional;

import io.perkamo.core.codec.OutcomeCodec;
import io.perkamo.core.fold.Outcome;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.Problem;

/**
 * What one input got: the processor's decision, or a refusal before any decision. Both are
 * written by {@link OutcomeJson}, the one owner of the IngestResult shape the SDKs parse.
 */
sealed interface IngestResult {

    /** The IngestResult JSON (compact UTF-8). */
    byte[] json();

    /** The processor decided: the outcome exactly as it is on the Space's outcomes topic. */
    record Decided(Outcome outcome) implements IngestResult {
        @Override
        public byte[] json() {
            return OutcomeJson.bytes(OutcomeCodec.toAvro(outcome));
        }
    }

    /**
     * No decision: refused by validation ({@code rejected}), or not decided in time
     * ({@code pending}: the processor may still apply it; a retry with the same transaction_id
     * is safe).
     */
    record Refused(Optional<String> transactionId, Status status, String code, String message,
                   List<Problem> problems) implements IngestResult {
        enum Status {
            REJECTED, PENDING;

            String wire() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        public Refused {
            problems = List.copyOf(problems);
        }

        @Override
        public byte[] json() {
            return OutcomeJson.refusal(transactionId, status.wire(), code, message, problems);
        }
    }
}

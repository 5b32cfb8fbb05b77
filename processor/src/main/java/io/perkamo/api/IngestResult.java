package io.perkamo.api;

import java.util.List;
import java.util.Optional;

import io.perkamo.core.fold.Outcome.Status;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.Problem;

/**
 * What one input got: the processor's decision, or a refusal before any decision. Both are
 * written by {@link OutcomeJson}, the one owner of the IngestResult shape the SDKs parse.
 */
sealed interface IngestResult {

    /** The IngestResult JSON (compact UTF-8). */
    byte[] json();

    /** The processor decided: the outcome as it is on the Space's outcomes topic. */
    record Decided(Outcome outcome) implements IngestResult {
        /** The decision's status, typed: the wire value is the contract's (Outcome.avsc). */
        Status status() {
            return Status.fromWire(outcome.getStatus()).orElseThrow(
                    () -> new IllegalStateException("unknown outcome status " + outcome.getStatus()));
        }

        @Override
        public byte[] json() {
            return OutcomeJson.bytes(outcome);
        }
    }

    /**
     * No decision: refused by validation ({@code rejected}), or not decided in time
     * ({@code pending}: the processor may still apply it; a retry with the same transaction_id
     * is safe).
     */
    record Refused(Optional<String> transactionId, Refusal status, String code, String message,
                   List<Problem> problems) implements IngestResult {
        enum Refusal {
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

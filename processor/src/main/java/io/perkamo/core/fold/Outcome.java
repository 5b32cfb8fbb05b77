package io.perkamo.core.fold;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to one input: SPEC's IngestResult plus the input's ids and the deciding program
 * version. walletState keeps its order (program wallets first, then any other wallet).
 */
public record Outcome(String userId, String kind, Optional<String> transactionId, Optional<String> event,
                      Optional<String> reward, Instant occurredAt, long programVersion, Status status,
                      Optional<String> reason, boolean applied, boolean duplicate, List<WalletAmount> delta,
                      boolean leveledUp, List<Unlock> unlocked, Map<String, Long> walletState,
                      Optional<LevelView> level, List<Effect> effects, Optional<ErrorInfo> error) {

    public Outcome {
        delta = List.copyOf(delta);
        unlocked = List.copyOf(unlocked);
        walletState = walletState instanceof WalletState view
                ? view // a read-only view over immutable program and state: nothing to copy
                : Collections.unmodifiableMap(new LinkedHashMap<>(walletState));
        effects = List.copyOf(effects);
    }

    /**
     * applied | rejected | redeemed for a decision. A retry (duplicate=true) reports its original
     * status, as the SPEC asks, so that a retried redemption still reads "redeemed"; DUPLICATE
     * is the wire value for a retry whose original status is not known.
     */
    public enum Status {
        APPLIED, DUPLICATE, REJECTED, REDEEMED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> fromWire(String text) {
            for (Status s : values()) {
                if (s.wire().equals(text)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public record ErrorInfo(String code, String message) {
    }
}

package io.perkamo.core.fold;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.input.Input;

/** A rule's reversal: takes back the credits of an earlier input and marks its decision reversed. */
final class Reverse {
    private Reverse() {
    }

    /** Returns the skip reason when nothing was reversed. */
    static Optional<String> reverse(Fold f, String key, List<String> path, Input.Event e) {
        JsonNode node = e.context();
        for (String segment : path) {
            node = node == null ? null : node.get(segment);
        }
        if (node == null || !(node.isTextual() || node.isIntegralNumber()) || node.asText().isEmpty()) {
            f.effects.add(Effect.skipped(Effect.REVERSE_SKIPPED, key, "missing_value",
                    "context." + String.join(".", path) + " holds no transaction_id"));
            return Optional.of("missing_value");
        }
        String target = node.asText();
        Optional<PriorDecision> prior = target.equals(e.txId()) ? Optional.empty()
                : Optional.ofNullable(f.reversed.get(target)).or(() -> f.lookup.find(target));
        if (prior.isEmpty()) {
            f.effects.add(Effect.skipped(Effect.REVERSE_SKIPPED, key, Engine.UNKNOWN_TRANSACTION,
                    "no earlier input " + target));
            return Optional.of(Engine.UNKNOWN_TRANSACTION);
        }
        if (prior.get().reversed()) {
            f.effects.add(Effect.skipped(Effect.REVERSE_SKIPPED, key, Engine.ALREADY_REVERSED,
                    target + " was already reversed"));
            return Optional.of(Engine.ALREADY_REVERSED);
        }
        for (WalletAmount credit : prior.get().delta()) {
            if (credit.amount() <= 0) {
                continue; // only credits are taken back; debits are not refunded
            }
            f.debit(key, credit.wallet(), credit.amount(), Effect.REVERSE_SHORTFALL);
            long total = f.earned().getOrDefault(credit.wallet(), 0L);
            f.earned().put(credit.wallet(), total - Math.min(total, credit.amount()));
        }
        if (f.reversed.isEmpty()) {
            f.reversed = new LinkedHashMap<>();
        }
        f.reversed.put(target, prior.get().markReversed());
        f.effects.add(Effect.make(Effect.REVERSED, key, null, null, null, "reversed " + target));
        return Optional.empty();
    }
}

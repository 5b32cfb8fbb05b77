package io.perkamo.core.fold;

/** A signed amount in one wallet (a delta entry). */
public record WalletAmount(String wallet, long amount) {
}

package io.perkamo.control.keys;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets already decrypted, by record id: AES-GCM once per stored record, not per use. An
 * entry counts only for the very record instance it was decrypted from, and the read model
 * drops it ({@link #forget}) as soon as that record changes or is deleted, so a revoked or
 * replaced secret is never answered from here.
 *
 * @param <R> the stored record (compared by identity)
 */
public final class DecryptedSecrets<R extends SealedSecret> {
    private record Entry<R>(R record, String plaintext) {
    }

    private final KeyCrypto crypto;
    private final Map<String, Entry<R>> byId = new ConcurrentHashMap<>();

    public DecryptedSecrets(KeyCrypto crypto) {
        this.crypto = crypto;
    }

    /** The record's secret; empty when it cannot be decrypted with this master key (never cached). */
    public Optional<String> plaintext(R record) {
        Entry<R> e = byId.get(record.id());
        if (e != null && e.record() == record) {
            return Optional.of(e.plaintext());
        }
        Optional<String> plain = crypto.decrypt(record.ciphertext(), record.id());
        plain.ifPresent(p -> byId.put(record.id(), new Entry<>(record, p)));
        return plain;
    }

    /** Drops what was decrypted from the record of {@code id}: it changed or is gone. */
    public void forget(String id) {
        byId.remove(id);
    }
}

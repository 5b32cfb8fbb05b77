package io.perkamo.control.keys;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Finds the stored record of a secret a caller presents (an API key in a request): looked up
 * by its hash, accepted by the caller's check (live, right Space and prefix ...) before any
 * decryption, then compared in constant time with the decrypted stored secret (decrypted once
 * per record, see {@link DecryptedSecrets}). Empty for unknown, refused or altered secrets.
 *
 * @param <R> the stored record
 */
public final class KeyResolver<R extends SealedSecret> {
    private static final int MIN_LENGTH = 8;
    private static final int MAX_LENGTH = 512;

    private final KeyCrypto crypto;
    private final Function<String, Optional<R>> byLookupHash;
    private final DecryptedSecrets<R> decrypted;

    public KeyResolver(KeyCrypto crypto, Function<String, Optional<R>> byLookupHash) {
        this.crypto = crypto;
        this.byLookupHash = byLookupHash;
        this.decrypted = new DecryptedSecrets<>(crypto);
    }

    public Optional<R> resolve(String presented, Predicate<R> usable) {
        if (presented == null || presented.length() < MIN_LENGTH || presented.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Optional<R> found = byLookupHash.apply(crypto.lookupHash(presented)).filter(usable);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> stored = decrypted.plaintext(found.get());
        if (stored.isEmpty() || !KeyCrypto.constantTimeEquals(stored.get(), presented)) {
            return Optional.empty();
        }
        return found;
    }

    /** Called by the read model whenever the record of {@code id} changes or is deleted. */
    public void forget(String id) {
        decrypted.forget(id);
    }
}

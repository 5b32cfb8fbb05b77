package io.perkamo.control.keys;

import java.util.Objects;

/**
 * A secret sealed by {@link KeyCrypto} that lives inside another record (a browser key's token
 * secret): {@code id} is the AAD it was sealed with. Kept as one instance per stored record, so
 * {@link DecryptedSecrets} can cache what it decrypted from it.
 */
public record SealedValue(String id, String ciphertext) implements SealedSecret {

    public SealedValue {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @Override
    public String toString() {
        return "SealedValue[id=" + id + "]";
    }
}

package io.perkamo.control.keys;

/**
 * A stored record that holds a secret sealed by {@link KeyCrypto}, with the record's id as
 * the additional data: an API key today; a browser key's token secret, a Space signing key or
 * a webhook endpoint's secret next.
 */
public interface SealedSecret {

    String id();

    /** base64(nonce || AES-GCM ciphertext) of the secret. */
    String ciphertext();
}

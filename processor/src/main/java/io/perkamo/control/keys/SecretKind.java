package io.perkamo.control.keys;

/**
 * A kind of secret stored encrypted on a control topic. Each kind gets its own subkeys of the
 * master key (lookup and encryption), so a ciphertext or hash of one kind is worthless as
 * another, and its own id prefix. A new kind (a browser key's token secret, a Space signing
 * key, a webhook endpoint's {@code whsec_} secret) is a new constant here; its labels never
 * change once records exist, or they can no longer be read.
 */
public enum SecretKind {
    /** Server and browser API keys ({@code sk_...}, {@code pk_...}); ids {@code key_...}. */
    API_KEY("api-key", "key_"),
    /** The secret a browser key's server-minted tokens are signed with (never shown); no ids of its own. */
    BROWSER_TOKEN("browser-token", "bts_"),
    /** Space signing keys, with which an app signs client tokens itself; ids {@code kid_...} are the tokens' kid. */
    SIGNING_KEY("signing-key", "kid_"),
    /**
     * A webhook endpoint's signing secret ({@code whsec_...}, Standard Webhooks); the record ids
     * are the endpoints' ids, {@code we_...}.
     */
    WEBHOOK_SECRET("webhook-secret", "we_");

    private final String label;
    private final String idPrefix;

    SecretKind(String label, String idPrefix) {
        this.label = label;
        this.idPrefix = idPrefix;
    }

    /** The label the lookup subkey is derived with. */
    String lookupLabel() {
        return "perkamo/" + label + "-lookup/v1";
    }

    /** The label the AES-GCM subkey is derived with. */
    String encryptionLabel() {
        return "perkamo/" + label + "-encryption/v1";
    }

    /** How the ids of this kind's records start. */
    public String idPrefix() {
        return idPrefix;
    }
}

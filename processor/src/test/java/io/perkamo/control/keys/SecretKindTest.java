package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretKindTest {

    @Test
    void shouldKeepTheLabelsStoredApiKeysWereSealedWith() {
        // records on existing keys topics were hashed and sealed under subkeys of these labels
        assertThat(SecretKind.API_KEY.lookupLabel()).isEqualTo("perkamo/api-key-lookup/v1");
        assertThat(SecretKind.API_KEY.encryptionLabel()).isEqualTo("perkamo/api-key-encryption/v1");
        assertThat(SecretKind.API_KEY.idPrefix()).isEqualTo("key_");
    }

    @Test
    void shouldSealWebhookSecretsUnderSubkeysOfTheirOwn() {
        // an API key's ciphertext or hash is worthless as a webhook secret's, and the other way round
        assertThat(SecretKind.WEBHOOK_SECRET.lookupLabel()).isEqualTo("perkamo/webhook-secret-lookup/v1");
        assertThat(SecretKind.WEBHOOK_SECRET.encryptionLabel()).isEqualTo("perkamo/webhook-secret-encryption/v1");
        assertThat(SecretKind.WEBHOOK_SECRET.idPrefix()).isEqualTo("we_");
        MasterKey master = MasterKey.generate();
        String sealed = new KeyCrypto(master, SecretKind.WEBHOOK_SECRET).encrypt("whsec_abc", "we_1");
        assertThat(new KeyCrypto(master, SecretKind.API_KEY).decrypt(sealed, "we_1")).isEmpty();
        assertThat(new KeyCrypto(master, SecretKind.WEBHOOK_SECRET).decrypt(sealed, "we_1")).contains("whsec_abc");
    }
}

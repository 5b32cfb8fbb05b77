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
}

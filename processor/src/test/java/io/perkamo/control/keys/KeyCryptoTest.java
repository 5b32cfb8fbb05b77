package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class KeyCryptoTest {
    private final KeyCrypto crypto = new KeyCrypto(MasterKey.generate(), SecretKind.API_KEY);
    private final String key = "sk_test_" + KeyCrypto.randomBase62(32);

    @Test
    void shouldRoundTrip() {
        String sealed = crypto.encrypt(key, "key_abc");

        assertThat(crypto.decrypt(sealed, "key_abc")).contains(key);
        assertThat(sealed).doesNotContain(key);
    }

    @Test
    void shouldUseAFreshNonceEachTime() {
        String a = crypto.encrypt(key, "key_abc");
        String b = crypto.encrypt(key, "key_abc");

        assertThat(a).isNotEqualTo(b);
        assertThat(Base64.getDecoder().decode(a)).hasSize(12 + key.length() + 16);
    }

    @Test
    void shouldDetectTampering() {
        byte[] sealed = Base64.getDecoder().decode(crypto.encrypt(key, "key_abc"));
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            assertThat(crypto.decrypt(Base64.getEncoder().encodeToString(altered), "key_abc")).as("byte %d", i).isEmpty();
        }
    }

    @Test
    void shouldRefuseAnotherKeyIdAsAad() {
        String sealed = crypto.encrypt(key, "key_abc");

        assertThat(crypto.decrypt(sealed, "key_abd")).isEmpty();
    }

    @Test
    void shouldRefuseAnotherMasterKey() {
        String sealed = crypto.encrypt(key, "key_abc");

        assertThat(new KeyCrypto(MasterKey.generate(), SecretKind.API_KEY).decrypt(sealed, "key_abc")).isEmpty();
    }

    @Test
    void shouldRefuseGarbage() {
        assertThat(crypto.decrypt("not base64 ***", "key_abc")).isEmpty();
        assertThat(crypto.decrypt(Base64.getEncoder().encodeToString(new byte[5]), "key_abc")).isEmpty();
    }

    @Test
    void shouldHashDeterministicallyPerMasterKey() {
        String h = crypto.lookupHash(key);

        assertThat(h).matches("[0-9a-f]{64}").isEqualTo(crypto.lookupHash(key));
        assertThat(crypto.lookupHash(key + "x")).isNotEqualTo(h);
        assertThat(new KeyCrypto(MasterKey.generate(), SecretKind.API_KEY).lookupHash(key)).isNotEqualTo(h);
    }

    @Test
    void shouldDeriveStableIdsFromTheKey() {
        assertThat(crypto.derivedId(key)).matches("key_[0-9A-Za-z]{16}").isEqualTo(crypto.derivedId(key));
        assertThat(crypto.derivedId(key + "x")).isNotEqualTo(crypto.derivedId(key));
    }

    @Test
    void shouldCompareInConstantTimeCorrectly() {
        assertThat(KeyCrypto.constantTimeEquals("sk_test_a", "sk_test_a")).isTrue();
        assertThat(KeyCrypto.constantTimeEquals("sk_test_a", "sk_test_b")).isFalse();
        assertThat(KeyCrypto.constantTimeEquals("sk_test_a", "sk_test_ab")).isFalse();
    }
}

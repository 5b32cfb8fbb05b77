package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecryptedSecretsTest {
    private record Stored(String id, String ciphertext) implements SealedSecret {
    }

    private final KeyCrypto crypto = new KeyCrypto(MasterKey.generate(), SecretKind.API_KEY);
    private final DecryptedSecrets<SealedSecret> cache = new DecryptedSecrets<>(crypto);

    /** A record whose ciphertext can change under the same instance: shows what is answered from the cache. */
    private static final class Mutable implements SealedSecret {
        private String ciphertext;

        Mutable(String ciphertext) {
            this.ciphertext = ciphertext;
        }

        @Override
        public String id() {
            return "key_m";
        }

        @Override
        public String ciphertext() {
            return ciphertext;
        }
    }

    @Test
    void shouldDecryptARecordOnce() {
        Mutable record = new Mutable(crypto.encrypt("sk_test_one", "key_m"));
        assertThat(cache.plaintext(record)).contains("sk_test_one");

        record.ciphertext = crypto.encrypt("sk_test_two", "key_m");

        assertThat(cache.plaintext(record)).contains("sk_test_one");
    }

    @Test
    void shouldAnswerOnlyForTheRecordItWasDecryptedFrom() {
        cache.plaintext(new Stored("key_a", crypto.encrypt("sk_test_one", "key_a")));

        Stored replaced = new Stored("key_a", crypto.encrypt("sk_test_two", "key_a"));

        assertThat(cache.plaintext(replaced)).contains("sk_test_two");
    }

    @Test
    void shouldDecryptAgainAfterForgetting() {
        Mutable record = new Mutable(crypto.encrypt("sk_test_one", "key_m"));
        cache.plaintext(record);
        record.ciphertext = crypto.encrypt("sk_test_two", "key_m");

        cache.forget("key_m");

        assertThat(cache.plaintext(record)).contains("sk_test_two");
    }

    @Test
    void shouldRefuseARecordSealedForAnotherId() {
        Stored moved = new Stored("key_b", crypto.encrypt("sk_test_one", "key_a"));

        assertThat(cache.plaintext(moved)).isEmpty();
    }
}

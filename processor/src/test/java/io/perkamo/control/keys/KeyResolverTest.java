package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class KeyResolverTest {
    private record Stored(String id, String ciphertext) implements SealedSecret {
    }

    private final KeyCrypto crypto = new KeyCrypto(MasterKey.generate(), SecretKind.API_KEY);
    private final Map<String, Stored> byHash = new HashMap<>();
    private final KeyResolver<Stored> resolver = new KeyResolver<>(crypto, h -> Optional.ofNullable(byHash.get(h)));

    private Stored store(String id, String secret) {
        Stored s = new Stored(id, crypto.encrypt(secret, id));
        byHash.put(crypto.lookupHash(secret), s);
        return s;
    }

    @Test
    void shouldFindTheRecordOfAPresentedSecret() {
        Stored stored = store("key_a", "sk_test_secret01");

        assertThat(resolver.resolve("sk_test_secret01", s -> true)).containsSame(stored);
    }

    @Test
    void shouldRefuseWhatTheCallerRefuses() {
        store("key_a", "sk_test_secret01");

        assertThat(resolver.resolve("sk_test_secret01", s -> false)).isEmpty();
    }

    @Test
    void shouldRefuseARecordWhoseCiphertextDoesNotHoldThePresentedSecret() {
        // a record found by hash whose sealed secret differs (another master key, tampering)
        byHash.put(crypto.lookupHash("sk_test_secret01"), new Stored("key_a", crypto.encrypt("sk_test_other", "key_a")));

        assertThat(resolver.resolve("sk_test_secret01", s -> true)).isEmpty();
    }

    @Test
    void shouldRefuseUnknownAndOutOfBoundsSecrets() {
        store("key_a", "sk_test_secret01");

        assertThat(resolver.resolve("sk_test_unknown1", s -> true)).isEmpty();
        assertThat(resolver.resolve(null, s -> true)).isEmpty();
        assertThat(resolver.resolve("short", s -> true)).isEmpty();
        assertThat(resolver.resolve("sk_test_" + "x".repeat(600), s -> true)).isEmpty();
    }
}

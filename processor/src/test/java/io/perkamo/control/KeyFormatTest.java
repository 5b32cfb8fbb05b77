package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.keys.KeyCrypto;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.keys.SecretKind;

class KeyFormatTest {

    @Test
    void shouldPrefixKeysByKindAndEnvironment() {
        assertThat(Kind.SERVER.prefix(Environment.TEST)).isEqualTo("sk_test_");
        assertThat(Kind.SERVER.prefix(Environment.LIVE)).isEqualTo("sk_live_");
        assertThat(Kind.BROWSER.prefix(Environment.TEST)).isEqualTo("pk_test_");
        assertThat(Kind.BROWSER.prefix(Environment.LIVE)).isEqualTo("pk_live_");
    }

    @Test
    void shouldDrawRandomPartsFromBase62() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String r = KeyCrypto.randomBase62(32);
            assertThat(r).matches("[0-9A-Za-z]{32}");
            seen.add(r);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void shouldShowTwelveCharactersForDisplay() {
        assertThat(ApiKeys.displayPrefix("sk_live_AbCdEfGh")).isEqualTo("sk_live_AbCd…");
    }

    @Test
    void shouldGrantAllFourScopesToANewServerKeyByDefault() {
        assertThat(ApiKeys.grantedScopes(Kind.SERVER, Set.of()))
                .containsExactlyInAnyOrder("events:write", "profile:read", "rewards:redeem", "admin:config");
    }

    @Test
    void shouldAcceptTheCustomerReadAlias() {
        assertThat(ApiKeys.grantedScopes(Kind.SERVER, Set.of("customer:read"))).containsExactly("profile:read");
    }

    @Test
    void shouldRejectUnknownScopesAndAdminOnBrowserKeys() {
        assertThatThrownBy(() -> ApiKeys.grantedScopes(Kind.SERVER, Set.of("events:delete")))
                .hasMessageContaining("Unknown scope 'events:delete'");
        assertThatThrownBy(() -> ApiKeys.grantedScopes(Kind.BROWSER, Set.of("admin:config")))
                .hasMessageContaining("browser key");
        // a browser key's tokens may read the profile, post events and open the stream
        assertThat(ApiKeys.grantedScopes(Kind.BROWSER, Set.of())).containsExactlyInAnyOrder("events:write",
                "profile:read", "stream:read");
    }

    @Test
    void shouldNeverShowSecretsInToString() {
        MasterKey master = MasterKey.generate();
        KeyCrypto crypto = new KeyCrypto(master, SecretKind.API_KEY);
        String plaintext = "sk_test_" + KeyCrypto.randomBase62(32);
        ApiKeyRecord record = new ApiKeyRecord("key_x", "acme", Kind.SERVER, ApiKeys.displayPrefix(plaintext),
                crypto.lookupHash(plaintext), crypto.encrypt(plaintext, "key_x"), Set.of("events:write"),
                Instant.EPOCH, Optional.empty(), Optional.empty());
        CreatedKey created = new CreatedKey("key_x", plaintext, record);
        Space space = new Space("acme", "Acme", Environment.TEST, 6, Instant.EPOCH, SpaceSettings.DEFAULTS);
        String browserKey = "pk_test_" + KeyCrypto.randomBase62(32);

        // DemoInfo (local mode) has the same check in io.perkamo.local.DemoInfoTest
        for (String s : List.of(record.toString(), created.toString(), new ResolvedKey(space, record).toString())) {
            assertThat(s).doesNotContain(plaintext).doesNotContain(plaintext.substring(12))
                    .doesNotContain(record.lookupHash()).doesNotContain(record.ciphertext())
                    .doesNotContain(browserKey);
        }
        assertThat(created.toString()).contains("key_x");
    }
}

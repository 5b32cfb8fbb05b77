package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.Environment;
import io.perkamo.control.Space;
import io.perkamo.control.SpaceSettings;
import io.perkamo.control.keys.KeyCrypto;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.keys.SecretKind;

/** Moved from control's KeyFormatTest with DemoInfo: the same checks on DemoInfo's toString. */
class DemoInfoTest {

    @Test
    void shouldNeverShowSecretsInToString() {
        KeyCrypto crypto = new KeyCrypto(MasterKey.generate(), SecretKind.API_KEY);
        String plaintext = "sk_test_" + KeyCrypto.randomBase62(32);
        ApiKeyRecord record = new ApiKeyRecord("key_x", "acme", Kind.SERVER, ApiKeys.displayPrefix(plaintext),
                crypto.lookupHash(plaintext), crypto.encrypt(plaintext, "key_x"), Set.of("events:write"),
                Instant.EPOCH, Optional.empty(), Optional.empty());
        Space space = new Space("acme", "Acme", Environment.TEST, 6, Instant.EPOCH, SpaceSettings.DEFAULTS);
        DemoInfo demo = new DemoInfo(space, plaintext, "pk_test_" + KeyCrypto.randomBase62(32));

        assertThat(demo.toString()).doesNotContain(plaintext).doesNotContain(plaintext.substring(12))
                .doesNotContain(record.lookupHash()).doesNotContain(record.ciphertext())
                .doesNotContain(demo.browserKey());
    }
}

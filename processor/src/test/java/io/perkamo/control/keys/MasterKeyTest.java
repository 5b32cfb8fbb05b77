package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void shouldPreferTheEnvironmentOverTheFile() throws Exception {
        MasterKey inFile = MasterKey.generate();
        Path file = dir.resolve("master.key");
        Files.writeString(file, inFile.toBase64());
        MasterKey inEnv = MasterKey.generate();

        MasterKey key = MasterKey.fromEnvironmentOrFile(Map.of(MasterKey.ENV, inEnv.toBase64()), file, false);

        assertThat(key).isEqualTo(inEnv).isNotEqualTo(inFile);
    }

    @Test
    void shouldRejectAnEnvironmentValueThatIsNotBase64WithoutEchoingIt() {
        assertThatThrownBy(() -> MasterKey.fromEnvironmentOrFile(Map.of(MasterKey.ENV, "not*base64!secret"),
                dir.resolve("none"), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PERKAMO_MASTER_KEY must be the base64 encoding of 32")
                .hasMessageNotContaining("secret");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void shouldRejectAnEnvironmentValueOfTheWrongLength() {
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.fromEnvironmentOrFile(Map.of(MasterKey.ENV, sixteen), dir.resolve("x"), false))
                .hasMessageContaining("PERKAMO_MASTER_KEY")
                .hasMessageContaining("16 bytes");
    }

    @Test
    void shouldCreateTheFileOwnerOnlyAndReadTheSameKeyBack() throws Exception {
        Path file = dir.resolve("home/master.key");

        MasterKey created = MasterKey.fromEnvironmentOrFile(Map.of(), file, true);
        MasterKey again = MasterKey.fromEnvironmentOrFile(Map.of(), file, true);

        assertThat(again).isEqualTo(created);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
    }

    @Test
    void shouldTellTheUserToSetTheVariableWhenNothingIsThere() {
        Path file = dir.resolve("master.key");
        assertThatThrownBy(() -> MasterKey.fromEnvironmentOrFile(Map.of(), file, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set PERKAMO_MASTER_KEY")
                .hasMessageContaining(file.toString());
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldIgnoreABlankEnvironmentValue() throws Exception {
        MasterKey inFile = MasterKey.generate();
        Path file = dir.resolve("master.key");
        Files.writeString(file, inFile.toBase64() + "\n");

        assertThat(MasterKey.fromEnvironmentOrFile(Map.of(MasterKey.ENV, "  "), file, false)).isEqualTo(inFile);
    }

    @Test
    void shouldRejectACorruptFile() throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "hello");
        assertThatThrownBy(() -> MasterKey.fromEnvironmentOrFile(Map.of(), file, true))
                .hasMessageContaining("master key file " + file);
    }

    @Test
    void shouldNeverShowItsBytes() {
        MasterKey key = MasterKey.generate();
        assertThat(key.toString()).doesNotContain(key.toBase64()).contains("redacted");
        assertThat(Set.of(key)).hasSize(1);
    }
}

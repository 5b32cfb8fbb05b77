package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenTest {

    @Test
    void shouldMatchOnlyItsOwnToken() {
        OperatorToken token = OperatorToken.ofPlaintext("a-long-operator-token");

        assertThat(token.matches("a-long-operator-token")).isTrue();
        assertThat(token.matches("a-long-operator-tokeN")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void shouldRefuseAShortChosenToken() {
        assertThatThrownBy(() -> OperatorToken.ofPlaintext("short")).hasMessageContaining("16");
    }

    @Test
    void shouldGenerateOnceStoreOnlyTheHashAndReadItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("operator-token.sha256");

        OperatorToken.Resolved first = OperatorToken.fromEnvironmentOrFile(Map.of(), file);
        OperatorToken.Resolved second = OperatorToken.fromEnvironmentOrFile(Map.of(), file);

        String plaintext = first.generated().orElseThrow();
        assertThat(plaintext).startsWith(OperatorToken.PREFIX);
        assertThat(Files.readString(file)).doesNotContain(plaintext).contains(first.token().hashHex());
        assertThat(second.generated()).isEmpty();
        assertThat(second.token().matches(plaintext)).isTrue();
    }

    @Test
    void shouldLetTheEnvironmentWin(@TempDir Path dir) {
        Path file = dir.resolve("operator-token.sha256");

        OperatorToken.Resolved resolved = OperatorToken.fromEnvironmentOrFile(
                Map.of(OperatorToken.ENV, "chosen-operator-token-123"), file);

        assertThat(resolved.token().matches("chosen-operator-token-123")).isTrue();
        assertThat(resolved.generated()).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldNeverPrintTheHash() {
        assertThat(OperatorToken.ofPlaintext("a-long-operator-token").toString()).doesNotContain(
                OperatorToken.ofPlaintext("a-long-operator-token").hashHex());
    }
}

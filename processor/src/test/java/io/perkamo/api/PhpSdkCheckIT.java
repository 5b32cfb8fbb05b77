package io.perkamo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.perkamo.local.DemoSpace;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestTools;

/**
 * The official PHP SDK 0.7, unmodified, run by php-cli through scripts/sdk/php-sdk-check.php
 * against a whole instance: the server calls, createBrowserToken and createBrowserStreamToken,
 * and the tokens they mint on /v1/client/* (the fixtures of {@link PhpSdkWireIT} only replay
 * recorded requests; this is the SDK itself).
 */
class PhpSdkCheckIT {
    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("phpsdk", 1).program(DemoSpace.program()).build();

    @Test
    void theSdkCheckShouldPassIncludingBothTokenCallsAndTheClientRoutes() throws Exception {
        Path php = TestTools.php();
        Path sdk = TestTools.phpSdk();
        Path script = Path.of("..", "scripts", "sdk", "php-sdk-check.php").toAbsolutePath().normalize();
        assertThat(script).exists();

        ProcessBuilder pb = new ProcessBuilder(php.toString(), script.toString(), node.baseUrl(), node.serverKey())
                .redirectErrorStream(true);
        pb.environment().put(TestTools.PHP_SDK_ENV, sdk.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        // a guard against a hung php, not a timing: the check itself takes a few seconds
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "php-sdk-check.txt"), output);

        assertThat(output).as(output).doesNotContain("FAIL").contains("ALL OK")
                .contains("OK   createBrowserToken ->", "OK   createBrowserStreamToken (default ttl 120) ->",
                        "OK   token reads GET /v1/client/customer ->",
                        "OK   token posts an allowed event to /v1/client/events ->",
                        "OK   self-signed token reads /v1/client/customer ->");
        assertThat(p.exitValue()).isZero();
        // what it prints shows keys and tokens by their first characters only
        assertThat(output).doesNotContain(node.serverKey());
    }
}

package io.perkamo.webhooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Json;
import io.perkamo.testing.TestTools;

/**
 * Verifies received webhooks with the official Standard Webhooks library for JavaScript (npm
 * {@code standardwebhooks}), run by node: one answer per request, "ok" or the library's error.
 */
final class StandardWebhooksVerifier {
    private static final String SCRIPT = """
            const { Webhook } = require("standardwebhooks");
            const fs = require("fs");
            const items = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
            for (const item of items) {
              try {
                new Webhook(item.secret).verify(item.body, item.headers);
                console.log("ok");
              } catch (e) {
                console.log("fail: " + e.message);
              }
            }
            """;

    private StandardWebhooksVerifier() {
    }

    /** One line per request: "ok" when the library verifies it with {@code secret}. */
    static List<String> verify(String secret, List<TestReceiver.Received> requests) throws IOException,
            InterruptedException {
        Path node = TestTools.node();
        Path modules = TestTools.npmPackage("standardwebhooks");
        Path dir = Files.createTempDirectory("standardwebhooks-check");
        Path script = dir.resolve("verify.js");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (TestReceiver.Received r : requests) {
            ObjectNode item = items.addObject();
            item.put("secret", secret);
            item.put("body", r.body());
            ObjectNode headers = item.putObject("headers");
            r.headers().forEach(headers::put);
        }
        Path input = dir.resolve("input.json");
        Files.write(input, Json.MAPPER.writeValueAsBytes(items));
        ProcessBuilder pb = new ProcessBuilder(node.toString(), script.toString(), input.toString())
                .redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("node failed: " + out);
        }
        return out.lines().toList();
    }
}

package io.perkamo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import com.sun.net.httpserver.HttpServer;

/** The browser harness itself: Debian's chromium renders a page from loopback and runs its script. */
class BrowserIT {

    @Test
    void shouldRenderALoopbackPageRunItsScriptAndSaveAScreenshot() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!doctype html><title>harness</title><p id=out>waiting</p>"
                + "<script>document.getElementById('out').textContent = 'ran ' + (6 * 7)</script>")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("content-type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try (Browser browser = Browser.start()) {
            browser.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/");

            assertThat(browser.driver().getTitle()).isEqualTo("harness");
            assertThat(browser.driver().findElement(By.id("out")).getText()).isEqualTo("ran 42");
            Path shot = browser.screenshot("browser-harness");
            assertThat(Files.size(shot)).isGreaterThan(100);
        } finally {
            server.stop(0);
        }
    }
}

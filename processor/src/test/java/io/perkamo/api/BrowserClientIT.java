package io.perkamo.api;

import static io.perkamo.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import com.sun.net.httpserver.HttpServer;

import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.ApiKeys;
import io.perkamo.local.DemoSpace;
import io.perkamo.testing.Browser;
import io.perkamo.testing.RunningNode;

/**
 * A real page in headless Chromium, as a shop's frontend would use the engine: with a token its
 * backend minted, it posts an event and reads the profile over /v1/client/* from an origin the
 * browser key allows (a test Space's default: http://localhost:*); the same page served from
 * another origin (http://127.0.0.2) is stopped by CORS, so its script sees no answer at all.
 */
class BrowserClientIT {
    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("browser", 1).program(DemoSpace.program()).build();

    private static final String PAGE = """
            <!doctype html><title>shop</title>
            <p id=state>running</p><pre id=event></pre><pre id=customer></pre>
            <script>
            const q = new URLSearchParams(location.search);
            const auth = {'Authorization': 'Bearer ' + q.get('token')};
            const show = (id, text) => document.getElementById(id).textContent = text;
            (async () => {
              try {
                const e = await fetch(q.get('api') + '/v1/client/events', {method: 'POST',
                  headers: {...auth, 'content-type': 'application/json'},
                  body: JSON.stringify({event: 'lesson.finished', transaction_id: q.get('tx')})});
                show('event', e.status + ' ' + await e.text());
                const c = await fetch(q.get('api') + '/v1/client/customer', {headers: auth});
                show('customer', c.status + ' ' + c.headers.get('x-perkamo-request-id') + ' ' + await c.text());
                show('state', 'done');
              } catch (err) {
                show('state', 'refused: ' + err.name + ': ' + err.message);
              }
            })();
            </script>
            """;

    private static HttpServer pages;
    private static Browser browser;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        pages = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
        byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
        pages.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("content-type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        pages.start();
        browser = Browser.start();
        String browserKey = new ApiKeys(node.control()).create(node.space(), Kind.BROWSER, Set.of()).plaintext();
        token = node.api().post("/v1/browser-tokens",
                "{\"browser_key\":\"" + browserKey + "\",\"user_id\":\"shopper\",\"ttl_seconds\":600}", 200)
                .path("token").asText();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    private static String open(String pageHost, String tx) throws Exception {
        String url = "http://" + pageHost + ":" + pages.getAddress().getPort() + "/?api="
                + URLEncoder.encode(node.baseUrl(), StandardCharsets.UTF_8) + "&token=" + token + "&tx=" + tx;
        browser.driver().get(url);
        return eventually(Duration.ofSeconds(30), () -> {
            String state = browser.driver().findElement(By.id("state")).getText();
            assertThat(state).isNotEqualTo("running");
            return state;
        });
    }

    @Test
    void aPageFromAnAllowedOriginShouldPostAnEventAndReadTheProfileWithItsToken() throws Exception {
        String state = open("localhost", "page-1");

        browser.screenshot("browser-client-allowed");
        assertThat(state).isEqualTo("done");
        assertThat(browser.driver().findElement(By.id("event")).getText())
                .startsWith("200 ").contains("\"applied\":true").contains("\"transaction_id\":\"page-1\"");
        // exposed by CORS: the page can read the request id
        assertThat(browser.driver().findElement(By.id("customer")).getText())
                .matches("(?s)200 req_[0-9A-Za-z]{24} .*\"user_id\":\"shopper\".*");
    }

    @Test
    void thePageFromAnotherOriginShouldBeRefusedByCors() throws Exception {
        String state = open("127.0.0.2", "page-2");

        browser.screenshot("browser-client-other-origin");
        assertThat(state).startsWith("refused: TypeError");
        assertThat(browser.driver().findElement(By.id("event")).getText()).isEmpty();
        // the event never got through: its transaction_id is new to the engine
        var sameEvent = node.api().post("/v1/events",
                "{\"user_id\":\"shopper\",\"event\":\"lesson.finished\",\"transaction_id\":\"page-2\"}", 200);
        assertThat(sameEvent.path("duplicate").asBoolean()).isFalse();
        assertThat(sameEvent.path("applied").asBoolean()).isTrue();
    }
}

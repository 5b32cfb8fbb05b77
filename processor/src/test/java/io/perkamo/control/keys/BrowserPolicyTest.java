package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class BrowserPolicyTest {

    @Test
    void shouldMatchAPortWildcardOnAnyPortOfThatHostOnly() {
        BrowserPolicy p = BrowserPolicy.TEST_DEFAULT;

        assertThat(p.allowsOrigin("http://localhost:3000")).isTrue();
        assertThat(p.allowsOrigin("http://localhost")).isTrue();
        assertThat(p.allowsOrigin("http://127.0.0.1:8080")).isTrue();
        assertThat(p.allowsOrigin("https://localhost:3000")).isFalse();
        assertThat(p.allowsOrigin("http://localhost.evil.example:3000")).isFalse();
        assertThat(p.allowsOrigin("http://127.0.0.2:8080")).isFalse();
    }

    @Test
    void shouldMatchAnExactOriginWithItsDefaultPort() {
        BrowserPolicy p = new BrowserPolicy(List.of("https://shop.example"), List.of("*"), 600);

        assertThat(p.allowsOrigin("https://shop.example")).isTrue();
        assertThat(p.allowsOrigin("https://SHOP.example:443")).isTrue();
        assertThat(p.allowsOrigin("https://shop.example:8443")).isFalse();
        assertThat(p.allowsOrigin("http://shop.example")).isFalse();
        assertThat(p.allowsOrigin("null")).isFalse();
        assertThat(p.allowsOrigin(null)).isFalse();
    }

    @Test
    void shouldAllowNoOriginInALiveSpaceUntilSet() {
        assertThat(BrowserPolicy.LIVE_DEFAULT.allowsOrigin("http://localhost:3000")).isFalse();
        assertThat(BrowserPolicy.LIVE_DEFAULT.allowsEvent("purchase.completed")).isTrue();
    }

    @Test
    void shouldAllowListedEventsOrAll() {
        BrowserPolicy p = new BrowserPolicy(List.of(), List.of("page.viewed"), 600);

        assertThat(p.allowsEvent("page.viewed")).isTrue();
        assertThat(p.allowsEvent("purchase.completed")).isFalse();
    }

    @Test
    void shouldRefuseOriginsWithPathsOtherSchemesOrWildcardHosts() {
        for (String bad : List.of("https://shop.example/", "ftp://shop.example", "shop.example", "https://*.example",
                "https://shop.example:99999", "*")) {
            assertThatThrownBy(() -> new BrowserPolicy(List.of(bad), List.of("*"), 600)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid origin");
        }
    }

    @Test
    void shouldRefuseATtlOutsideOneToEighteenHundredSeconds() {
        assertThatThrownBy(() -> new BrowserPolicy(List.of(), List.of("*"), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BrowserPolicy(List.of(), List.of("*"), 1801))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

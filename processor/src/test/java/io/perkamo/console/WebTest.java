package io.perkamo.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebTest {

    @Test
    void shouldGoBackOnlyToAConsolePageAfterSigningIn() {
        assertThat(Web.safeNext("/console/spaces/shop/program")).isEqualTo("/console/spaces/shop/program");
        assertThat(Web.safeNext("https://evil.example/console/")).isEqualTo("/console/spaces");
        assertThat(Web.safeNext("//evil.example/console/x")).isEqualTo("/console/spaces");
        assertThat(Web.safeNext("/console/\\evil")).isEqualTo("/console/spaces");
        assertThat(Web.safeNext("/console/sign-in")).isEqualTo("/console/spaces");
        assertThat(Web.safeNext(null)).isEqualTo("/console/spaces");
    }
}

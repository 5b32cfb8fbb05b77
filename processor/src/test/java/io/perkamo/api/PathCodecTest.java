package io.perkamo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import org.junit.jupiter.api.Test;

class PathCodecTest {
    @Test
    void shouldDecodeLikeRawurlencodeEncodes() {
        assertThat(PathCodec.decode("account%3Aacme%3A42")).contains("account:acme:42");
        assertThat(PathCodec.decode("a%2Fb+c")).contains("a/b+c");
        assertThat(PathCodec.decode("caf%C3%A9")).contains("café");
    }

    @Test
    void shouldRefuseMalformedEscapes() {
        assertThat(PathCodec.decode("bad%2")).isEmpty();
        assertThat(PathCodec.decode("bad%zz")).isEmpty();
        assertThat(PathCodec.decode("%C3")).isEmpty();
    }

    @Property
    void shouldRoundTrip(@ForAll String value) {
        Assume.that(value.equals(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
        assertThat(PathCodec.decode(PathCodec.encode(value))).contains(value);
    }
}

package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "10.0.0.1", "172.16.5.4", "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.100.100.200", "224.0.0.1", "255.255.255.255",
        "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1"})
    void shouldRefuseAddressesOfThisMachineItsNetworksAndTheMetadataService(String address) throws Exception {
        assertThat(WebhookUrls.refused(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:21f:cb07::1"})
    void shouldAllowPublicAddresses(String address) throws Exception {
        assertThat(WebhookUrls.refused(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:4000/x", "http://127.0.0.1/x", "http://[::1]:80/x", "http://10.0.0.8/x",
        "http://api.localhost/x", "http://169.254.169.254/latest", "http://metadata.google.internal/computeMetadata"})
    void shouldRefuseThisMachineForALiveSpaceAndAllowItForATestSpace(String url) {
        assertThat(WebhookUrls.problem(url, Environment.LIVE)).isPresent();
        assertThat(WebhookUrls.problem(url, Environment.TEST)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://shop.example/x", "shop.example/x", "https://user:pw@shop.example/x",
        "https://shop.example/x#frag", "https:///x", ""})
    void shouldRefuseWhatIsNotAPlainHttpUrl(String url) {
        assertThat(WebhookUrls.problem(url, Environment.TEST)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://shop.example/hooks", "http://shop.example:8080/hooks?a=1",
        "https://93.184.215.14/x"})
    void shouldAcceptPublicHttpUrls(String url) {
        assertThat(WebhookUrls.problem(url, Environment.LIVE)).isEmpty();
    }
}

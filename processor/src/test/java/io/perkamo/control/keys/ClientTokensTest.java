package io.perkamo.control.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import io.perkamo.control.keys.ClientTokens.Candidate;
import io.perkamo.control.keys.ClientTokens.Claims;
import io.perkamo.control.keys.ClientTokens.Refusal;
import io.perkamo.control.keys.ClientTokens.Refused;
import io.perkamo.control.keys.ClientTokens.Verification;
import io.perkamo.control.keys.ClientTokens.Verified;

class ClientTokensTest {
    private static final String AUD = "http://localhost:4001/v1/client";
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final String SECRET = KeyCrypto.randomBase62(43);
    private static final String OTHER_SECRET = KeyCrypto.randomBase62(43);
    private final Function<String, List<Candidate<String>>> signers = kid -> Map.of(
            "key_browser", List.of(new Candidate<>(SECRET.getBytes(StandardCharsets.UTF_8), "browser", 900)),
            "pk_test_legacy", List.of(
                    new Candidate<>(OTHER_SECRET.getBytes(StandardCharsets.UTF_8), "old signing key", 900),
                    new Candidate<>(SECRET.getBytes(StandardCharsets.UTF_8), "new signing key", 900)))
            .getOrDefault(kid, List.of());

    private static Claims claims(Instant iat, Instant exp) {
        return new Claims("http://localhost:4001", AUD, "alice", List.of("profile:read", "events:write"), iat, iat, exp,
                "pbt_1");
    }

    private Verification<String> verify(String token) {
        return ClientTokens.verify(token, AUD, NOW, signers);
    }

    private static Refusal reason(Verification<String> v) {
        assertThat(v).isInstanceOf(Refused.class);
        return ((Refused<String>) v).reason();
    }

    @Test
    void shouldVerifyATokenItSignedAndHandBackTheSignersContext() {
        String token = ClientTokens.sign("key_browser", SECRET, claims(NOW, NOW.plusSeconds(600)));

        Verification<String> v = verify(token);

        assertThat(v).isInstanceOf(Verified.class);
        Verified<String> ok = (Verified<String>) v;
        assertThat(ok.context()).isEqualTo("browser");
        assertThat(ok.subject()).isEqualTo("alice");
        assertThat(ok.scopes()).containsExactly("profile:read", "events:write");
        assertThat(ok.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(ok.events()).isEmpty();
    }

    @Test
    void shouldWriteTheHeaderAndClaimsOfTheSpec() throws Exception {
        SignedJWT jwt = SignedJWT.parse(ClientTokens.sign("key_browser", SECRET, claims(NOW, NOW.plusSeconds(60))));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("perkamo.client+jwt");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("key_browser");
        assertThat(jwt.getJWTClaimsSet().getClaims().keySet())
                .containsExactlyInAnyOrder("iss", "aud", "sub", "scope", "iat", "nbf", "exp", "jti");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("scope")).containsExactly("profile:read", "events:write");
    }

    @Test
    void shouldTryEveryCandidateOfALegacyKidAndTellWhichOneSigned() {
        String token = ClientTokens.sign("pk_test_legacy", SECRET, claims(NOW, NOW.plusSeconds(60)));

        assertThat(((Verified<String>) verify(token)).context()).isEqualTo("new signing key");
    }

    @Test
    void shouldRefuseAlgNone() {
        PlainJWT plain = new PlainJWT(new JWTClaimsSet.Builder().subject("alice").audience(AUD).build());

        assertThat(reason(verify(plain.serialize()))).isEqualTo(Refusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void shouldRefuseAnotherHmacAlgorithmEvenWithTheRightSecret() throws Exception {
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.HS512).type(new JOSEObjectType(ClientTokens.TYPE))
                .keyID("key_browser").build(), (SECRET + SECRET).getBytes(StandardCharsets.UTF_8));

        assertThat(reason(verify(token))).isEqualTo(Refusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void shouldRefuseAnRsaHeader() {
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"perkamo.client+jwt\",\"kid\":\"key_browser\"}");

        assertThat(reason(verify(header + "." + b64("{\"sub\":\"alice\"}") + ".c2ln")))
                .isEqualTo(Refusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void shouldRefuseAnotherType() throws Exception {
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID("key_browser")
                .build(), SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(reason(verify(token))).isEqualTo(Refusal.WRONG_TYPE);
    }

    @Test
    void shouldRefuseAnUnknownOrMissingKid() throws Exception {
        assertThat(reason(verify(ClientTokens.sign("key_nobody", SECRET, claims(NOW, NOW.plusSeconds(60))))))
                .isEqualTo(Refusal.UNKNOWN_KID);
        String noKid = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(ClientTokens.TYPE))
                .build(), SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(reason(verify(noKid))).isEqualTo(Refusal.UNKNOWN_KID);
    }

    @Test
    void shouldRefuseAnotherSecretAndATamperedPayload() {
        assertThat(reason(verify(ClientTokens.sign("key_browser", OTHER_SECRET, claims(NOW, NOW.plusSeconds(60))))))
                .isEqualTo(Refusal.BAD_SIGNATURE);
        String[] parts = ClientTokens.sign("key_browser", SECRET, claims(NOW, NOW.plusSeconds(60))).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"alice\"", "\"mallory\"");
        assertThat(reason(verify(parts[0] + "." + b64(payload) + "." + parts[2]))).isEqualTo(Refusal.BAD_SIGNATURE);
    }

    @Test
    void shouldAllowThirtySecondsOfLeewayOnExpiryAndNoMore() {
        assertThat(verify(ClientTokens.sign("key_browser", SECRET, claims(NOW.minusSeconds(600), NOW.minusSeconds(25)))))
                .isInstanceOf(Verified.class);
        assertThat(reason(verify(ClientTokens.sign("key_browser", SECRET,
                claims(NOW.minusSeconds(600), NOW.minusSeconds(31)))))).isEqualTo(Refusal.EXPIRED);
    }

    @Test
    void shouldRefuseATokenNotValidYet() {
        Instant later = NOW.plusSeconds(31);
        assertThat(reason(verify(ClientTokens.sign("key_browser", SECRET, claims(later, later.plusSeconds(60))))))
                .isEqualTo(Refusal.NOT_YET_VALID);
        Claims nbfLater = new Claims("iss", AUD, "alice", List.of("profile:read"), NOW, NOW.plusSeconds(120),
                NOW.plusSeconds(600), "j");
        assertThat(reason(verify(ClientTokens.sign("key_browser", SECRET, nbfLater)))).isEqualTo(Refusal.NOT_YET_VALID);
        Instant soon = NOW.plusSeconds(20);
        assertThat(verify(ClientTokens.sign("key_browser", SECRET, claims(soon, soon.plusSeconds(60)))))
                .isInstanceOf(Verified.class);
    }

    @Test
    void shouldRefuseAnotherAudience() {
        Claims other = new Claims("iss", "https://elsewhere.example/v1/client", "alice", List.of("profile:read"), NOW,
                NOW, NOW.plusSeconds(60), "j");

        assertThat(reason(verify(ClientTokens.sign("key_browser", SECRET, other)))).isEqualTo(Refusal.WRONG_AUDIENCE);
    }

    @Test
    void shouldRefuseALifetimeLongerThanTheSignerAllows() {
        assertThat(reason(verify(ClientTokens.sign("key_browser", SECRET, claims(NOW, NOW.plusSeconds(901))))))
                .isEqualTo(Refusal.LIFETIME_TOO_LONG);
    }

    @Test
    void shouldRefuseMissingClaimsAndAScopeThatIsNotAList() throws Exception {
        JWTClaimsSet noSub = new JWTClaimsSet.Builder().issuer("i").audience(AUD).claim("scope", List.of("profile:read"))
                .issueTime(java.util.Date.from(NOW)).expirationTime(java.util.Date.from(NOW.plusSeconds(60))).jwtID("j")
                .build();
        assertThat(reason(verify(sign(noSub)))).isEqualTo(Refusal.MISSING_CLAIM);
        JWTClaimsSet stringScope = new JWTClaimsSet.Builder(noSub).subject("alice").claim("scope", "profile:read").build();
        assertThat(reason(verify(sign(stringScope)))).isEqualTo(Refusal.MISSING_CLAIM);
        JWTClaimsSet ok = new JWTClaimsSet.Builder(noSub).subject("alice").claim("events", List.of("page.viewed"))
                .build();
        assertThat(((Verified<String>) verify(sign(ok))).events()).contains(List.of("page.viewed"));
    }

    @Test
    void shouldRefuseGarbageAndHugeStrings() {
        assertThat(reason(verify("not a token"))).isEqualTo(Refusal.MALFORMED);
        assertThat(reason(verify(""))).isEqualTo(Refusal.MALFORMED);
        assertThat(reason(verify("a".repeat(ClientTokens.MAX_TOKEN_LENGTH + 1)))).isEqualTo(Refusal.MALFORMED);
    }

    private static String sign(JWSHeader header, byte[] secret) throws Exception {
        SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder().issuer("i").audience(AUD).subject("alice")
                .claim("scope", List.of("profile:read")).issueTime(java.util.Date.from(NOW))
                .expirationTime(java.util.Date.from(NOW.plusSeconds(60))).jwtID("j").build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType(ClientTokens.TYPE)).keyID("key_browser").build(), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

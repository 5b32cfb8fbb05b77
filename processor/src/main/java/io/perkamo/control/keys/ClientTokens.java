package io.perkamo.control.keys;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;

/**
 * Client tokens (SPEC section 2): HS256 JWTs with header {@code typ: perkamo.client+jwt} and
 * {@code kid}, claims {@code iss}, {@code aud}, {@code sub}, {@code scope} (a list), {@code iat},
 * {@code nbf}, {@code exp}, {@code jti}. Signing and the signature check are nimbus-jose-jwt's;
 * this class decides what is accepted, strictly and in this order: a JWS (never {@code alg:
 * none}, never a JWE) with alg HS256 only, the type, a kid naming a known secret, the
 * signature, then the claims (30 s leeway on times, the audience, a lifetime within the
 * signer's maximum). Knows no Space or key record: the caller resolves a kid to its
 * candidates and gets the matching candidate's context back.
 */
public final class ClientTokens {
    public static final String TYPE = "perkamo.client+jwt";
    public static final Duration LEEWAY = Duration.ofSeconds(30);
    /** Longer strings are refused before parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private ClientTokens() {
    }

    /** What a token says, as minted or as verified. */
    public record Claims(String issuer, String audience, String subject, List<String> scopes, Instant issuedAt,
                         Instant notBefore, Instant expiresAt, String tokenId) {
        public Claims {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(subject, "subject");
            scopes = List.copyOf(scopes);
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(tokenId, "tokenId");
        }
    }

    /**
     * A secret that may have signed tokens under a kid, with what the caller wants back when it
     * did and the longest lifetime ({@code exp - iat}) it allows.
     */
    public record Candidate<C>(byte[] secret, C context, int maxLifetimeSeconds) {
        public Candidate {
            secret = secret.clone();
        }
    }

    public sealed interface Verification<C> permits Verified, Refused {
    }

    /**
     * @param events the legacy {@code events} claim (an allow-list the token itself carries), if any
     */
    public record Verified<C>(C context, String kid, String subject, List<String> scopes, Instant expiresAt,
                              String tokenId, Optional<List<String>> events) implements Verification<C> {
    }

    /** @param detail one sentence for the caller; never the token or a secret */
    public record Refused<C>(Refusal reason, String detail) implements Verification<C> {
    }

    public enum Refusal {
        MALFORMED, ALGORITHM_NOT_ALLOWED, WRONG_TYPE, UNKNOWN_KID, BAD_SIGNATURE, MISSING_CLAIM, WRONG_AUDIENCE,
        EXPIRED, NOT_YET_VALID, LIFETIME_TOO_LONG
    }

    /** A signed token; {@code secret} is the HMAC key (at least 32 bytes). */
    public static String sign(String kid, byte[] secret, Claims claims) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(TYPE)).keyID(kid).build();
        JWTClaimsSet set = new JWTClaimsSet.Builder()
                .issuer(claims.issuer())
                .audience(claims.audience())
                .subject(claims.subject())
                .claim("scope", claims.scopes())
                .issueTime(Date.from(claims.issuedAt()))
                .notBeforeTime(Date.from(claims.notBefore()))
                .expirationTime(Date.from(claims.expiresAt()))
                .jwtID(claims.tokenId())
                .build();
        SignedJWT jwt = new SignedJWT(header, set);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a client token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** {@link #sign} with the secret given as text (its UTF-8 bytes are the HMAC key). */
    public static String sign(String kid, String secret, Claims claims) {
        return sign(kid, secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    /**
     * @param audience the one accepted {@code aud} ({@code <base url>/v1/client})
     * @param signers  a kid's candidates (several while keys rotate); empty for an unknown or dead kid
     */
    public static <C> Verification<C> verify(String token, String audience, Instant now,
                                             Function<String, List<Candidate<C>>> signers) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return refused(Refusal.MALFORMED, "the token is empty or too long");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token.trim());
        } catch (ParseException e) {
            return refused(Refusal.MALFORMED, "the token is not a JWT");
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            return refused(Refusal.ALGORITHM_NOT_ALLOWED, "only HS256-signed tokens are accepted (not alg none or JWE)");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            return refused(Refusal.ALGORITHM_NOT_ALLOWED, "only HS256-signed tokens are accepted");
        }
        if (header.getType() == null || !TYPE.equals(header.getType().getType())) {
            return refused(Refusal.WRONG_TYPE, "the token's typ must be " + TYPE);
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isBlank()) {
            return refused(Refusal.UNKNOWN_KID, "the token has no kid");
        }
        List<Candidate<C>> candidates = signers.apply(kid);
        if (candidates.isEmpty()) {
            return refused(Refusal.UNKNOWN_KID, "the token's kid is unknown, revoked or expired");
        }
        Candidate<C> signer = null;
        for (Candidate<C> c : candidates) {
            if (verifies(jwt, c.secret()) && signer == null) {
                signer = c;
            }
        }
        if (signer == null) {
            return refused(Refusal.BAD_SIGNATURE, "the token's signature does not verify");
        }
        return checkClaims(jwt, signer, kid, audience, now);
    }

    private static boolean verifies(SignedJWT jwt, byte[] secret) {
        try {
            return jwt.verify(new MACVerifier(secret));
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static <C> Verification<C> checkClaims(SignedJWT jwt, Candidate<C> signer, String kid, String audience,
                                                   Instant now) {
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused(Refusal.MALFORMED, "the token's claims are not valid JSON claims");
        }
        String subject = claims.getSubject();
        String tokenId = claims.getJWTID();
        String issuer = claims.getIssuer();
        Date iat = claims.getIssueTime();
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (blank(issuer) || blank(subject) || blank(tokenId) || iat == null || exp == null) {
            return refused(Refusal.MISSING_CLAIM, "the token needs iss, sub, iat, exp and jti");
        }
        Optional<List<String>> scopes = strings(claims.getClaim("scope"));
        if (scopes.isEmpty()) {
            return refused(Refusal.MISSING_CLAIM, "the token's scope must be a list of strings");
        }
        Object eventsClaim = claims.getClaim("events");
        Optional<List<String>> events = eventsClaim == null ? Optional.empty() : strings(eventsClaim);
        if (eventsClaim != null && events.isEmpty()) {
            return refused(Refusal.MALFORMED, "the token's events must be a list of strings");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            return refused(Refusal.WRONG_AUDIENCE, "the token's aud must be " + audience);
        }
        Instant latest = now.plus(LEEWAY);
        if (!exp.toInstant().isAfter(now.minus(LEEWAY))) {
            return refused(Refusal.EXPIRED, "the token has expired");
        }
        if (iat.toInstant().isAfter(latest) || nbf != null && nbf.toInstant().isAfter(latest)) {
            return refused(Refusal.NOT_YET_VALID, "the token is not valid yet");
        }
        long lifetime = exp.toInstant().getEpochSecond() - iat.toInstant().getEpochSecond();
        if (lifetime > signer.maxLifetimeSeconds()) {
            return refused(Refusal.LIFETIME_TOO_LONG, "the token lives " + lifetime + " s; its key allows at most "
                    + signer.maxLifetimeSeconds() + " s");
        }
        return new Verified<>(signer.context(), kid, subject, scopes.get(), exp.toInstant(), tokenId, events);
    }

    private static Optional<List<String>> strings(Object claim) {
        if (!(claim instanceof List<?> list)) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) {
                return Optional.empty();
            }
            out.add(s);
        }
        return Optional.of(List.copyOf(out));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static <C> Refused<C> refused(Refusal reason, String detail) {
        return new Refused<>(reason, detail);
    }
}

package io.perkamo.api;

import java.util.Optional;

/**
 * Resolves the value of {@code x-perkamo-api-key}. Implementations look the key up by a hash
 * and compare secrets in constant time ({@link java.security.MessageDigest#isEqual}); they
 * answer empty for unknown and revoked keys alike and never log the presented value.
 */
@FunctionalInterface
public interface KeyDirectory {
    Optional<ApiCaller> resolve(String presentedKey);
}

/**
 * Keys and credentials, for every kind of secret the control plane stores: the master key,
 * the secrets' cryptography ({@link io.perkamo.control.keys.KeyCrypto}, one
 * {@link io.perkamo.control.keys.SecretKind} per kind: AES-GCM sealing and a lookup hash under
 * that kind's subkeys of the master key), resolving a presented secret to its stored record
 * ({@link io.perkamo.control.keys.KeyResolver}) with the cache of decrypted secrets
 * ({@link io.perkamo.control.keys.DecryptedSecrets}), a browser key's policy
 * ({@link io.perkamo.control.keys.BrowserPolicy}: origins with port wildcards, events, maximum
 * token lifetime) and client tokens ({@link io.perkamo.control.keys.ClientTokens}: HS256 JWTs,
 * signed and verified with nimbus-jose-jwt, accepted strictly). Secrets sealed inside another
 * record (a browser key's token secret) are {@link io.perkamo.control.keys.SealedValue}s.
 *
 * <p>What comes next belongs here too: webhook endpoint secrets ({@code whsec_...}, sealed with
 * the master key). Records implement {@link io.perkamo.control.keys.SealedSecret} and are read
 * and written like the others, by the view and the admin writers of {@link io.perkamo.control}.
 *
 * <p>A leaf: depends on the JDK and nimbus-jose-jwt only, on nothing else of ours. {@code io.perkamo.control} uses
 * it (never the other way round, so Spaces and key records stay there). Never logs or prints
 * a secret.
 */
package io.perkamo.control.keys;

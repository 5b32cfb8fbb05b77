/**
 * Keys and credentials, for every kind of secret the control plane stores: the master key,
 * the secrets' cryptography ({@link io.perkamo.control.keys.KeyCrypto}, one
 * {@link io.perkamo.control.keys.SecretKind} per kind: AES-GCM sealing and a lookup hash under
 * that kind's subkeys of the master key), resolving a presented secret to its stored record
 * ({@link io.perkamo.control.keys.KeyResolver}) with the cache of decrypted secrets
 * ({@link io.perkamo.control.keys.DecryptedSecrets}), and a browser key's policy.
 *
 * <p>What comes next belongs here: browser tokens (HS256 JWTs signed with a per-browser-key
 * secret, sealed as its own SecretKind), Space signing keys (kid + secret), webhook endpoint
 * secrets ({@code whsec_...}, sealed with the master key) and key rotation (a new key while the
 * old one stays valid until a chosen time: a check given to the resolver). Their records
 * implement {@link io.perkamo.control.keys.SealedSecret} and are read and written like the
 * others, by the view and the admin writers of {@link io.perkamo.control}.
 *
 * <p>A leaf: depends on the JDK only, on nothing else of ours. {@code io.perkamo.control} uses
 * it (never the other way round, so Spaces and key records stay there). Never logs or prints
 * a secret.
 */
package io.perkamo.control.keys;

package io.perkamo.control.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of secrets stored on control topics, for one {@link SecretKind}. Two
 * subkeys are derived from the master key (HMAC-SHA256 of the kind's labels), one per
 * purpose: the lookup hash is hex HMAC-SHA256(lookupKey, secret); the ciphertext is
 * base64(nonce(12) || AES-256-GCM(encKey, nonce, secret, aad = the record's id)).
 */
public final class KeyCrypto {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKind kind;
    private final byte[] lookupKey;
    private final SecretKeySpec encryptionKey;
    /** Every request hashes its key: one initialized Mac per thread instead of a provider lookup each time. */
    private final ThreadLocal<Mac> lookupMac;

    public KeyCrypto(MasterKey master, SecretKind kind) {
        byte[] m = master.bytes();
        this.kind = kind;
        this.lookupKey = hmac(m, kind.lookupLabel().getBytes(StandardCharsets.UTF_8));
        this.encryptionKey = new SecretKeySpec(hmac(m, kind.encryptionLabel().getBytes(StandardCharsets.UTF_8)), "AES");
        this.lookupMac = ThreadLocal.withInitial(() -> mac(lookupKey));
    }

    public SecretKind kind() {
        return kind;
    }

    /** The hash a record is found by: the same secret gives the same hash under one master key. */
    public String lookupHash(String plaintext) {
        Mac mac = lookupMac.get();
        return HexFormat.of().formatHex(mac.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    /** A record id derived from the secret itself: importing the same secret twice gives one record. */
    public String derivedId(String plaintext) {
        byte[] h = hmac(lookupKey, ("id:" + plaintext).getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(kind.idPrefix());
        for (int i = 0; i < 16; i++) {
            sb.append(BASE62.charAt((h[i] & 0xff) % 62));
        }
        return sb.toString();
    }

    /**
     * A secret derived from the master key for the record {@code id}, the same on every instance:
     * for records written before they carried a stored secret of this kind.
     */
    public String derivedSecret(String id) {
        return HexFormat.of().formatHex(hmac(lookupKey, ("secret:" + id).getBytes(StandardCharsets.UTF_8)));
    }

    /** Seals a secret; {@code aad} (the record's id) must be given again to open it. */
    public String encrypt(String plaintext, String aad) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Empty when the ciphertext was altered, the AAD differs or another master key sealed it. */
    public Optional<String> decrypt(String ciphertext, String aad) {
        try {
            byte[] all = Base64.getDecoder().decode(ciphertext);
            if (all.length < NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Random characters from a SecureRandom, for the secret part of keys and for ids. */
    public static String randomBase62(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(BASE62.charAt(RANDOM.nextInt(62)));
        }
        return sb.toString();
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        return mac(key).doFinal(message);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

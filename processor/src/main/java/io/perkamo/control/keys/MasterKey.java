package io.perkamo.control.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The 32-byte secret that protects the secrets stored on control topics (through
 * {@link KeyCrypto}: lookup hashes and encryption, one pair of subkeys per kind). Taken
 * from {@code PERKAMO_MASTER_KEY} (base64), else from a file ($PERKAMO_HOME/master.key,
 * created by local mode). Every instance of a deployment must use the same key.
 */
public final class MasterKey {
    public static final String ENV = "PERKAMO_MASTER_KEY";
    static final int LENGTH = 32;

    private final byte[] bytes;

    private MasterKey(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a master key is " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static MasterKey generate() {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        return new MasterKey(b);
    }

    /** Decodes base64 of 32 bytes; the message never repeats the value. */
    public static MasterKey fromBase64(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not valid base64");
        }
        if (decoded.length != LENGTH) {
            throw new IllegalArgumentException("decodes to " + decoded.length + " bytes, expected " + LENGTH);
        }
        return new MasterKey(decoded);
    }

    /**
     * {@code PERKAMO_MASTER_KEY} when set (it wins), else the file; when the file is missing
     * it is created (owner read/write only) if {@code createIfMissing}, else this fails with
     * a message telling the user to set {@code PERKAMO_MASTER_KEY}.
     */
    public static MasterKey fromEnvironmentOrFile(Map<String, String> env, Path file, boolean createIfMissing) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                return fromBase64(fromEnv);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV + " must be the base64 encoding of " + LENGTH
                        + " random bytes (e.g. `openssl rand -base64 32`): it is " + e.getMessage());
            }
        }
        if (Files.isRegularFile(file)) {
            return read(file);
        }
        if (!createIfMissing) {
            throw new IllegalArgumentException("No master key: set " + ENV + " (base64 of " + LENGTH
                    + " random bytes, the same on every instance) or create " + file
                    + " (local mode `perkamo run` does)");
        }
        return create(file);
    }

    private static MasterKey read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            return fromBase64(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the master key file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The master key file " + file + " must hold the base64 of " + LENGTH
                    + " bytes: it " + e.getMessage());
        }
    }

    private static MasterKey create(Path file) {
        MasterKey key = generate();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, key.toBase64() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return key;
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /**
     * A secret for another purpose (e.g. the header instances use to forward reads to each
     * other), derived with HMAC-SHA256 so the master key itself never leaves this class.
     */
    public String derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(bytes, "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey other && java.security.MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}

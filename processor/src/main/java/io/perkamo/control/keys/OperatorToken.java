package io.perkamo.control.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operator's sign-in token for the console, kept only as its SHA-256 hash: a generated
 * token has 190 random bits, so a fast hash is enough (a guess costs as much as a brute force
 * of the token itself); a chosen one ({@code PERKAMO_ADMIN_TOKEN}) must be at least
 * {@value #MIN_LENGTH} characters. The plaintext exists only when it is generated or typed.
 */
public final class OperatorToken {
    public static final String PREFIX = "pkop_";
    public static final int MIN_LENGTH = 16;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Sets the token (local mode too), for scripts and tests. */
    public static final String ENV = "PERKAMO_ADMIN_TOKEN";

    private final byte[] hash;

    /**
     * The token in force and, when it was generated just now, its plaintext (to print once).
     *
     * @param source where it came from, for the ready block: the variable's name or the file
     */
    public record Resolved(OperatorToken token, Optional<String> generated, String source) {
    }

    private OperatorToken(byte[] hash) {
        this.hash = hash;
    }

    /** A new random token, {@code pkop_} and 32 base62 characters. */
    public static String generate() {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (int i = 0; i < 32; i++) {
            sb.append(BASE62.charAt(RANDOM.nextInt(62)));
        }
        return sb.toString();
    }

    /**
     * {@value #ENV} when set (it wins); else the hash kept in {@code file}; else a new token whose
     * hash is written there (owner read/write only) and whose plaintext is returned once.
     */
    public static Resolved fromEnvironmentOrFile(Map<String, String> env, Path file) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                return new Resolved(ofPlaintext(fromEnv), Optional.empty(), ENV);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV + ": " + e.getMessage());
            }
        }
        if (Files.isRegularFile(file)) {
            return new Resolved(read(file), Optional.empty(), file.toString());
        }
        String token = generate();
        OperatorToken created = ofPlaintext(token);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, created.hashHex() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new Resolved(created, Optional.of(token), file.toString());
        } catch (FileAlreadyExistsException e) {
            return new Resolved(read(file), Optional.empty(), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot create the operator token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static OperatorToken read(Path file) {
        try {
            return ofHash(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the operator token file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The operator token file " + file + " must hold the token's SHA-256"
                    + " (64 hex characters); delete it to get a new token at the next start");
        }
    }

    /** The token an operator chose; refused when shorter than {@value #MIN_LENGTH} characters or blank. */
    public static OperatorToken ofPlaintext(String token) {
        if (token == null || token.strip().length() < MIN_LENGTH || !token.equals(token.strip())) {
            throw new IllegalArgumentException("the operator token must be at least " + MIN_LENGTH
                    + " characters, without spaces around it");
        }
        return new OperatorToken(sha256(token));
    }

    /** A token known by its stored hash ({@link #hashHex()}). */
    public static OperatorToken ofHash(String hex) {
        String h = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
        if (!HASH.matcher(h).matches()) {
            throw new IllegalArgumentException("an operator token hash is 64 hex characters");
        }
        return new OperatorToken(HexFormat.of().parseHex(h));
    }

    /** What is stored: hex SHA-256 of the token. */
    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    /** Whether {@code presented} is this token, compared in constant time. */
    public boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(hash, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "OperatorToken[hash]";
    }
}

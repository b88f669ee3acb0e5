package io.seqcl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 checksums of data files, computed streaming and cached in memory per (path, size, mtime).
 *
 * <p>A file that is changed in place gets a new size or modification time and is therefore hashed again;
 * repeated loads of an unchanged file within one JVM cost only a {@code stat}.
 */
public final class Checksums {

    private record Key(Path path, long size, long mtimeNanos) {
    }

    private static final Map<Key, String> CACHE = new ConcurrentHashMap<>();

    private Checksums() {
    }

    /**
     * Returns the lower-case hex SHA-256 of a file, from the cache when the file is unchanged.
     *
     * @param file the file
     * @return 64 hex digits
     * @throws DataFormatException if the file is missing or unreadable
     */
    public static String sha256(Path file) {
        Key key = key(file);
        String cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read file for checksum: " + e);
        }
        String hex = HexFormat.of().formatHex(md.digest());
        CACHE.put(key, hex);
        return hex;
    }

    /**
     * Checks a file against an expected checksum.
     *
     * @param file the file
     * @param expected the expected lower- or upper-case hex SHA-256
     * @return {@code null} if the file matches, else a message naming the file, the expected and the actual value
     */
    public static String mismatch(Path file, String expected) {
        String actual = sha256(file);
        if (actual.equalsIgnoreCase(expected)) {
            return null;
        }
        return "SHA-256 mismatch for " + file + ": expected " + expected.toLowerCase(java.util.Locale.ROOT)
                + ", actual " + actual
                + " (the file differs from the published one; re-download it with data/fetch.sh)";
    }

    /** Forgets all cached checksums (for tests). */
    public static void clearCache() {
        CACHE.clear();
    }

    /** Hashes bytes already read from {@code file} and caches the result for that file's current state. */
    static String rememberBytes(Path file, byte[] bytes) {
        Key key = null;
        try {
            key = key(file);
        } catch (DataFormatException ignored) {
            // the file vanished after reading; the hash of the bytes read is still correct
        }
        if (key != null && key.size() == bytes.length) {
            String cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        String hex = HexFormat.of().formatHex(newDigest().digest(bytes));
        if (key != null && key.size() == bytes.length) {
            CACHE.put(key, hex);
        }
        return hex;
    }

    private static Key key(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Key(file.toAbsolutePath().normalize(), a.size(),
                    a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "file not found");
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read file attributes: " + e);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

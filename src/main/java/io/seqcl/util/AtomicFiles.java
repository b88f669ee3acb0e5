package io.seqcl.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically: content goes to a temporary file in the same directory, which is then moved over the
 * target, so a reader never sees a half-written file and a failed write leaves nothing behind.
 *
 * <p>Permissions: the temporary file is created like any new file ({@code open(O_CREAT)} without a mode), so
 * the result gets {@code 0666 & ~umask} as a file written with {@link Files#newOutputStream} would (not the
 * {@code 0600} of {@link Files#createTempFile}); when the target already exists its permissions are kept, as an
 * ordinary overwrite keeps them.
 *
 * <p>Stale temporary files: a process killed during a write leaves its temporary file
 * {@code .NAME.PID.RANDOM.tmp} behind. Every write of {@code NAME}, and {@link #removeStaleTemporaries(Path)},
 * deletes the temporaries of {@code NAME} whose writing process is no longer alive (or is this process but no
 * longer writing them); temporaries of live writers are left alone.
 */
public final class AtomicFiles {

    /** Something that writes to a stream. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes content.
         *
         * @param out the stream (buffered; closed by the caller)
         * @throws IOException on failure
         */
        void write(OutputStream out) throws IOException;
    }

    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {
    }

    /**
     * Writes a file atomically.
     *
     * @param target the file to create or replace
     * @param writer produces the content
     * @throws IOException on failure; the temporary file is removed
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        removeStaleTemporaries(abs);
        Path tmp = createTemporary(abs);
        try {
            copyPermissions(abs, tmp);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                writer.write(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } finally {
                IN_PROGRESS.remove(tmp);
            }
        }
    }

    /**
     * Writes a UTF-8 text file atomically.
     *
     * @param target the file
     * @param text its content
     * @throws IOException on failure
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Deletes the temporary files that interrupted writes of {@code target} left behind (see the class comment).
     *
     * @param target the file whose temporaries are looked for (it need not exist)
     * @return the files deleted
     * @throws IOException if the directory cannot be listed
     */
    public static List<Path> removeStaleTemporaries(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        String prefix = "." + abs.getFileName() + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> {
            String n = f.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path f : files) {
                String middle = f.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                if (isStale(f, middle) && Files.deleteIfExists(f)) {
                    removed.add(f);
                }
            }
        } catch (NoSuchFileException e) {
            return removed;
        }
        return removed;
    }

    /** {@code middle} is "PID.RANDOM" (this class) or digits only (the Files.createTempFile names of old). */
    private static boolean isStale(Path f, String middle) {
        int dot = middle.indexOf('.');
        String pidPart = dot < 0 ? middle : middle.substring(0, dot);
        if (pidPart.isEmpty() || !pidPart.chars().allMatch(Character::isDigit)) {
            return false; // not one of ours
        }
        if (dot < 0) {
            return true; // legacy name: random digits, no owner recorded
        }
        long pid;
        try {
            pid = Long.parseLong(pidPart);
        } catch (NumberFormatException e) {
            return true;
        }
        if (pid == PID) {
            return !IN_PROGRESS.contains(f);
        }
        return ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true);
    }

    private static Path createTemporary(Path abs) throws IOException {
        Path dir = abs.getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + abs.getFileName() + "." + PID + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            IN_PROGRESS.add(tmp);
            try {
                return Files.createFile(tmp); // no attributes: mode 0666 & ~umask, as for any new file
            } catch (FileAlreadyExistsException e) {
                IN_PROGRESS.remove(tmp);
                if (attempt > 100) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                IN_PROGRESS.remove(tmp);
                throw e;
            }
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(from);
            Files.setPosixFilePermissions(to, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions are all there is
        }
    }
}

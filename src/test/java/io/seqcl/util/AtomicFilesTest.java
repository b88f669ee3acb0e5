package io.seqcl.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void newFilesGetTheModeTheUmaskGivesAnyNewFile() throws IOException {
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "x"); // 0666 & ~umask
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.writeString(atomic, "x");
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(atomic)),
                "before: createTempFile made every result 0600 regardless of the umask");
    }

    @Test
    void overwritingKeepsTheTargetsPermissions() throws IOException {
        Path f = dir.resolve("kept.txt");
        AtomicFiles.writeString(f, "a");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.writeString(f, "b");
        assertEquals("b", Files.readString(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void staleTemporariesOfAKilledWriteAreRemovedOnTheNextWrite() throws IOException {
        Path f = dir.resolve("ckpt.bin");
        // what a kill -9 during the first write leaves: a 0-byte temporary of a process that is gone
        long deadPid = deadPid();
        Path stale = dir.resolve(".ckpt.bin." + deadPid + ".1f2e3d.tmp");
        Files.createFile(stale);
        Path legacy = dir.resolve(".ckpt.bin.123456789012.tmp"); // Files.createTempFile name of older versions
        Files.createFile(legacy);
        Path live = dir.resolve(".ckpt.bin." + ProcessHandle.current().parent().map(ProcessHandle::pid)
                .orElse(1L) + ".abc.tmp"); // a writer that is still alive
        Files.createFile(live);
        Path other = dir.resolve(".other.bin." + deadPid + ".1.tmp"); // another target: not ours to judge
        Files.createFile(other);
        AtomicFiles.writeString(f, "new");
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(legacy));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(other));
        Files.createFile(stale);
        assertEquals(List.of(stale.toAbsolutePath()), AtomicFiles.removeStaleTemporaries(f));
    }

    @Test
    void failedWriteLeavesNothingBehind() throws IOException {
        Path f = dir.resolve("fail.txt");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    private static long deadPid() {
        long pid = 4_000_000; // above the default pid_max of Linux (4194304 is the absolute maximum)
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        return pid;
    }
}

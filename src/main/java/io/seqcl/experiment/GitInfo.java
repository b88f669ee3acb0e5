package io.seqcl.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The git commit of the working directory for provenance: {@code git rev-parse HEAD}, with {@code +dirty} when
 * {@code git status --porcelain} reports changes to tracked files; "unknown" outside a git checkout.
 */
final class GitInfo {

    private static volatile String cached;

    private GitInfo() {
    }

    /** @return the commit id, e.g. "506f08b...", "506f08b...+dirty" or "unknown" */
    static String commit() {
        String c = cached;
        if (c == null) {
            String head = git("rev-parse", "HEAD");
            if (head == null || head.isBlank()) {
                c = "unknown";
            } else {
                String status = git("status", "--porcelain", "--untracked-files=no");
                c = head.trim() + (status != null && !status.isBlank() ? "+dirty" : "");
            }
            cached = c;
        }
        return c;
    }

    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

package io.seqcl.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Chooses the compute device: CPU unless {@code SEQCL_DEVICE} (or the system property {@code seqcl.device}) says
 * {@code gpu} / {@code gpu:N}.
 */
public final class Devices {

    private Devices() {
    }

    /**
     * Returns the configured device.
     *
     * @return {@link Device#cpu()} by default
     * @throws IllegalArgumentException if the setting is not cpu, gpu or gpu:N, or a GPU is asked for but the
     *     engine sees none (build with the Maven profile {@code cuda} for GPU natives)
     */
    public static Device current() {
        String v = System.getProperty("seqcl.device", io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_DEVICE).orElse("cpu"));
        v = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty() || v.equals("cpu")) {
            return Device.cpu();
        }
        if (v.startsWith("gpu")) {
            int id = 0;
            if (v.startsWith("gpu:")) {
                try {
                    id = Integer.parseInt(v.substring(4));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("SEQCL_DEVICE='" + v + "': expected cpu, gpu or gpu:N");
                }
            }
            int gpus = Engine.getInstance().getGpuCount();
            if (id >= gpus) {
                throw new IllegalArgumentException("SEQCL_DEVICE='" + v + "' but the engine sees " + gpus
                        + " GPU(s); build with 'mvn -Pcuda' to get the CUDA natives and check nvidia-smi");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("SEQCL_DEVICE='" + v + "': expected cpu, gpu or gpu:N");
    }

    /**
     * Turns autograd recording off for the calling thread outside gradient collectors. libtorch's grad mode is
     * thread-local and DJL switches it off only on the thread that started the engine; on any other thread (a
     * notebook kernel's execution thread, a JShell snippet, a test's worker) in-place parameter updates before
     * the first gradient collector then fail with "a leaf Variable that requires grad is being used in an
     * in-place operation", and forward passes record graphs. Called by the trainers and evaluators.
     */
    public static void noGradOnThisThread() {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /**
     * Whether libtorch records operations for autograd on the calling thread (inside a gradient collector).
     *
     * @return libtorch's thread-local grad mode
     */
    public static boolean recordingGradients() {
        return ai.djl.pytorch.jni.JniUtils.isGradMode();
    }

    /**
     * Sets libtorch's intra-op thread count for the process (torch::set_num_threads); 0 or less leaves the
     * engine's default (one thread per core).
     *
     * @param threads threads for one operator
     * @return the thread count in effect afterwards
     */
    public static int setThreads(int threads) {
        ai.djl.engine.Engine.getInstance();
        if (threads > 0) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }
}

/*
 * seqcl: the kernelspec's main class. It starts rapaio-jupyter-kernel exactly as the kernel's own
 * org.rapaio.jupyter.kernel.MainApp does (same logging set-up, same connection-file parsing, same Channels and the
 * same kernel instance MainApp.kernel), with one difference: the channel loop threads are held at a start gate
 * until Channels.connect(...) has returned, i.e. until the message handlers exist. See LoopThread.java in this
 * patch directory for the two start-up races this closes. Written for seqcl, using only the kernel's public API.
 */
package io.seqcl.kernel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;

public final class SafeKernelMain {

    private SafeKernelMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].startsWith("-")) {
            MainApp.main(args); // installer (-i ...) and argument errors: the kernel's own behaviour
            return;
        }
        // Tells io.seqcl.notebook that it runs inside this kernel.
        System.setProperty("seqcl.kernel", "rapaio");
        // The repository's data/ folder as the default data directory (kernel/install.sh passes it as
        // -Dseqcl.kernel.data), used only when neither SEQCL_DATA nor -Dseqcl.data chose one: a notebook's working
        // directory is its own folder, where the library's default "data" would not exist.
        String defaultData = System.getProperty("seqcl.kernel.data");
        if (defaultData != null && System.getProperty("seqcl.data") == null
                && (System.getenv("SEQCL_DATA") == null || System.getenv("SEQCL_DATA").isBlank())) {
            System.setProperty("seqcl.data", defaultData);
        }
        RapaioKernel kernel = MainApp.kernel; // initialises MainApp (and the kernel) first, as a java MainApp run would
        try (InputStream logging = MainApp.class.getClassLoader().getResourceAsStream("logging.properties")) {
            if (logging != null) {
                LogManager.getLogManager().readConfiguration(logging);
            }
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("connection file not found: " + file);
        }
        String json = Files.readString(file, StandardCharsets.UTF_8);
        ConnectionProperties props = Transform.fromJson(json, ConnectionProperties.class);
        Logger.getLogger(SafeKernelMain.class.getSimpleName()).info("Kernel connection file content: " + json);
        if ("ipc".equals(props.transport())) {
            Logger.getLogger(SafeKernelMain.class.getSimpleName()).severe("ipc protocol is not supported.");
        }
        Channels channels = new Channels(props);
        LoopThread.holdLoops();
        try {
            channels.connect(kernel);
        } finally {
            LoopThread.releaseLoops();
        }
        channels.joinUntilClose();
    }
}

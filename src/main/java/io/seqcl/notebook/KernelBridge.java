package io.seqcl.notebook;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reaches the rapaio Jupyter kernel (io.github.padreati:rapaio-jupyter-kernel) by reflection, so the library
 * does not depend on the kernel at compile time and works unchanged outside a notebook.
 *
 * <p>The kernel's public {@code Global.display(...)}/{@code updateDisplay(...)} render one object through the
 * kernel's own renderers into a single MIME type. To send a proper MIME bundle (a {@code text/plain} fallback
 * next to {@code text/html} or {@code image/png}) this bridge builds the kernel's {@code DisplayData} itself and
 * hands it to the same kernel instance {@code Global} uses, {@code MainApp.kernel}, through its public
 * {@code display(DisplayData)} and {@code updateDisplay(DisplayData)} methods: exactly the calls {@code Global}
 * makes after rendering.
 *
 * <p>Detection: the JVM must have been started as the kernel, either by the seqcl kernelspec's launcher (which sets
 * the system property {@code seqcl.kernel}) or with the kernel's own {@code MainApp} as main class (read from
 * {@code sun.java.command}); so merely having the kernel jar on a class path never starts a kernel. Then
 * {@code MainApp.kernel} must be set and its channels connected. The system property {@code seqcl.notebook=false} turns the bridge off.
 */
final class KernelBridge implements DisplaySink {

    static final String MAIN_CLASS = "org.rapaio.jupyter.kernel.MainApp";
    static final String DATA_CLASS = "org.rapaio.jupyter.kernel.display.DisplayData";

    private static volatile Optional<KernelBridge> found;

    private final Object kernel;
    private final Method fromText;
    private final Method putData;
    private final Method setDisplayId;
    private final Method display;
    private final Method updateDisplay;

    private KernelBridge(Object kernel, Class<?> dataClass) throws ReflectiveOperationException {
        this.kernel = kernel;
        this.fromText = dataClass.getMethod("fromText", String.class);
        this.putData = dataClass.getMethod("putData", String.class, Object.class);
        this.setDisplayId = dataClass.getMethod("setDisplayId", String.class);
        this.display = kernel.getClass().getMethod("display", dataClass);
        this.updateDisplay = kernel.getClass().getMethod("updateDisplay", dataClass);
    }

    /**
     * The bridge of the running kernel, looked up once.
     *
     * @return the bridge, or empty outside the rapaio kernel
     */
    static Optional<KernelBridge> find() {
        Optional<KernelBridge> f = found;
        if (f == null) {
            synchronized (KernelBridge.class) {
                f = found;
                if (f == null) {
                    f = lookUp();
                    found = f;
                }
            }
        }
        return f;
    }

    private static Optional<KernelBridge> lookUp() {
        if ("false".equalsIgnoreCase(System.getProperty("seqcl.notebook", ""))) {
            return Optional.empty();
        }
        String command = System.getProperty("sun.java.command", "");
        if (System.getProperty("seqcl.kernel") == null && !command.startsWith(MAIN_CLASS)
                && !command.contains("rapaio-jupyter-kernel")) {
            return Optional.empty();
        }
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                KernelBridge.class.getClassLoader(), ClassLoader.getSystemClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                Class<?> main = Class.forName(MAIN_CLASS, true, loader);
                Object kernel = main.getField("kernel").get(null);
                if (kernel == null || kernel.getClass().getMethod("channels").invoke(kernel) == null) {
                    continue;
                }
                return Optional.of(new KernelBridge(kernel, Class.forName(DATA_CLASS, true, loader)));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // not loadable from this loader: try the next one
            }
        }
        return Optional.empty();
    }

    @Override
    public String display(Map<String, String> bundle) {
        String id = UUID.randomUUID().toString();
        invoke(display, data(id, bundle));
        return id;
    }

    @Override
    public void update(String displayId, Map<String, String> bundle) {
        invoke(updateDisplay, data(displayId, bundle));
    }

    private Object data(String id, Map<String, String> bundle) {
        try {
            Object data = fromText.invoke(null, bundle.getOrDefault(Mime.TEXT, ""));
            for (Map.Entry<String, String> e : bundle.entrySet()) {
                if (!Mime.TEXT.equals(e.getKey())) {
                    putData.invoke(data, e.getKey(), e.getValue());
                }
            }
            setDisplayId.invoke(data, id);
            return data;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the kernel's DisplayData", e);
        }
    }

    private void invoke(Method m, Object data) {
        try {
            m.invoke(kernel, data);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the kernel refused " + m.getName(), e);
        }
    }
}

/*
 * seqcl: start-up race fix for rapaio-jupyter-kernel 3.0.1 (written for seqcl, not taken from the kernel's sources).
 *
 * Why this file exists
 * --------------------
 * In rapaio-jupyter-kernel 3.0.1, org.rapaio.jupyter.kernel.channels.LoopThread (the thread behind the shell,
 * control, stdin and heartbeat channels) looks like this (read off the published jar with javap):
 *
 *     run():   while (running) { body.run(); sleep(...); }
 *     start(): super.start(); running = true;      // flag set AFTER the thread was started
 *
 * When the new thread is scheduled before the starting thread executes "running = true" (likely on a loaded
 * 2-core machine), run() reads running == false, falls out of its loop and the thread ends at once. The channel
 * then never answers: the kernel process is alive but the client waits forever for kernel_info_reply
 * ("kernel hangs on start"). The issue measured about 3 in 10 headless starts hanging.
 *
 * A second race sits right behind it: Channels.connect(kernel) binds the channels (starting these threads) and
 * only THEN fills its (non-volatile) message-handler map. A kernel_info_request that arrives in between makes the
 * shell thread throw a NullPointerException in Channels.getHandler and die: the same hang. It appeared as soon as
 * the first race was fixed (1 in 20 loaded starts).
 *
 * How both are neutralised
 * ------------------------
 * kernel/install.sh compiles this class against the kernel jar and puts the output directory BEFORE the kernel
 * jar on the kernel JVM's class path (the kernelspec's "-cp"). The kernel runs on the class path, not as a
 * named module, so the application class loader finds this org.rapaio.jupyter.kernel.channels.LoopThread first
 * and never loads the jar's copy. The class keeps the exact public shape of the original (final, extends Thread,
 * the (String, long, Runnable) constructor, run(), synchronized start(), shutdown()), so the kernel's other
 * classes link against it unchanged. Two differences:
 *  1. the flag is raised BEFORE Thread.start(), so the Thread.start() happens-before edge guarantees the new
 *     thread sees running == true;
 *  2. an optional start gate: io.seqcl.kernel.SafeKernelMain (the kernelspec's main class, in the same patch
 *     directory) calls holdLoops() before Channels.connect(...) and releaseLoops() after it returned. Loop threads
 *     started in between wait at the gate (incoming messages stay queued in their ZeroMQ sockets), and the
 *     latch's countDown/await pair makes every write connect() did, the handler map included, visible to them.
 *     With the stock MainApp nobody holds the gate and loops start at once, as before.
 * shutdown() still stops the loop after the current iteration, and an interrupt (sleeping or at the gate) ends it.
 *
 * kernel/check-starts.sh proves it: N consecutive headless starts (kernel_info + "1+1"), and with --no-fix the
 * same starts without this directory on the class path, to show the race.
 */
package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.CountDownLatch;

public final class LoopThread extends Thread {

    /** null: loops start at once (stock behaviour); otherwise loops wait until it is counted down. */
    private static volatile CountDownLatch gate;

    /** Makes loop threads started from now on wait for {@link #releaseLoops()} before their first iteration. */
    public static void holdLoops() {
        gate = new CountDownLatch(1);
    }

    /** Lets every waiting and future loop thread run. */
    public static void releaseLoops() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
    }

    private volatile boolean running;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.running = false;
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        // Raise the flag first: Thread.start() publishes it to the new thread (happens-before), closing the race.
        running = true;
        try {
            super.start();
        } catch (RuntimeException | Error e) {
            running = false;
            throw e;
        }
    }

    public void shutdown() {
        running = false;
    }
}

package io.seqcl.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs a few tasks at once, the first on the caller's thread and the others on shared daemon threads (sharded
 * training steps, evaluation threads). Every task has ended when {@link #run} returns or throws.
 */
public final class Parallel {

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "seqcl-worker");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {
    }

    /**
     * Runs {@code task(0)} on this thread and {@code task(1..k-1)} on pool threads, and waits for all of them.
     *
     * @param k number of tasks, at least 1
     * @param task the task of each index
     * @param onFailure run (on the failing task's thread) as soon as a task fails, e.g. to make the others stop
     *     early; null: nothing
     * @param <T> result type
     * @return the results in index order
     * @throws RuntimeException the first failure, with any later ones suppressed, after every task has ended
     */
    public static <T> List<T> run(int k, IntFunction<T> task, Runnable onFailure) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        IntFunction<T> guarded = i -> {
            try {
                return task.apply(i);
            } catch (RuntimeException e) {
                if (onFailure != null) {
                    onFailure.run();
                }
                throw e;
            }
        };
        List<Future<T>> others = new ArrayList<>(k - 1);
        for (int i = 1; i < k; i++) {
            int index = i;
            others.add(POOL.submit(() -> guarded.apply(index)));
        }
        List<T> results = new ArrayList<>(k);
        RuntimeException failure = null;
        try {
            results.add(guarded.apply(0));
        } catch (RuntimeException e) {
            failure = e;
            results.add(null);
        }
        for (Future<T> f : others) {
            RuntimeException c = null;
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c = new IllegalStateException("interrupted while waiting for a parallel task", e);
            } catch (ExecutionException e) {
                c = e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("a parallel task failed", e.getCause());
            }
            if (c != null) {
                results.add(null);
                if (failure == null) {
                    failure = c;
                } else {
                    failure.addSuppressed(c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }
}

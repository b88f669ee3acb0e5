package io.seqcl.util;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Parallel}: results in order, the caller's thread used, failures thrown only after every task ended. */
class ParallelTest {

    @Test
    void resultsComeInIndexOrderAndTheFirstTaskRunsOnTheCaller() {
        Thread caller = Thread.currentThread();
        Thread[] ran = new Thread[4];
        List<Integer> r = Parallel.run(4, i -> {
            ran[i] = Thread.currentThread();
            return i * i;
        }, null);
        assertEquals(List.of(0, 1, 4, 9), r);
        assertEquals(caller, ran[0]);
        assertNotEquals(caller, ran[1]);
    }

    @Test
    void aFailureIsThrownAfterEveryTaskEndedWithLaterOnesSuppressed() {
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(3, i -> {
            try {
                if (i == 0) {
                    throw new IllegalStateException("task 0");
                }
                Thread.sleep(100);
                if (i == 2) {
                    throw new IllegalArgumentException("task 2");
                }
                return i;
            } catch (InterruptedException x) {
                throw new RuntimeException(x);
            } finally {
                ended.incrementAndGet();
            }
        }, stopped::incrementAndGet));
        assertEquals("task 0", e.getMessage());
        assertEquals(3, ended.get(), "every task had ended");
        assertEquals(2, stopped.get(), "onFailure ran for each failing task");
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0].getMessage().contains("task 2"));
        assertThrows(IllegalArgumentException.class, () -> Parallel.run(0, i -> i, null));
    }
}

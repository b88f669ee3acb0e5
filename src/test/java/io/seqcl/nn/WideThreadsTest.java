package io.seqcl.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WideThreads}: the thread count inside and after the wrapped work and the validation of the setting (the
 * cross-entropy it wraps gives the same loss and gradients with the switch on as off: {@code RecLossTest}).
 */
class WideThreadsTest {

    private int before;

    @BeforeEach
    void oneThread() {
        Engine.getInstance();
        before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterEach
    void restore() {
        WideThreads.set(0);
        JniUtils.setNumThreads(before);
    }

    @Test
    void raisesTheCountInsideTheWorkAndRestoresItAfterwardsAlsoOnAnException() {
        WideThreads.set(3);
        assertEquals(3, WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads), "inside the wrapped work");
        assertEquals(1, JniUtils.getNumThreads(), "after it");
        assertThrows(IllegalStateException.class, () -> WideThreads.run(WideThreads.MIN_ENTRIES, () -> {
            throw new IllegalStateException("fails inside");
        }));
        assertEquals(1, JniUtils.getNumThreads(), "after an exception");
        // below the size threshold, off, or not above the current count: nothing is changed
        assertEquals(1, WideThreads.run(WideThreads.MIN_ENTRIES - 1, JniUtils::getNumThreads));
        WideThreads.set(0);
        assertEquals(1, WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads));
        JniUtils.setNumThreads(2);
        WideThreads.set(2);
        assertEquals(2, WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads));
        assertEquals(2, JniUtils.getNumThreads());
    }

    @Test
    void badSettingsAreRefusedNamingTheProperty() {
        assertEquals(0, WideThreads.parse(null));
        assertEquals(0, WideThreads.parse(" "));
        assertEquals(2, WideThreads.parse(" 2 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WideThreads.parse("two"));
        assertTrue(e.getMessage().contains("-Dseqcl.wideThreads=two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WideThreads.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> WideThreads.set(-1));
        // the property is read on first use, and a bad value fails there with the message, not in class loading
        try {
            System.setProperty(WideThreads.PROPERTY, "two");
            WideThreads.reread();
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, WideThreads::get);
            assertTrue(p.getMessage().contains("-Dseqcl.wideThreads=two"), p.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads));
            System.setProperty(WideThreads.PROPERTY, "2");
            assertEquals(2, WideThreads.get());
        } finally {
            System.clearProperty(WideThreads.PROPERTY);
            WideThreads.reread();
        }
        assertEquals(0, WideThreads.get());
    }
}

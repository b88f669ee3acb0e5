package io.seqcl.checkpoint;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading tensors written by PyTorch (strides, offsets, dtypes) and the safetensors header parser. */
class StateDictTest {

    static Path fixture(String name) throws Exception {
        return CheckpointImportTest.fixture(name);
    }

    @Test
    void stridedViewsAndOtherDtypesAreReadInRowMajorOrder() throws Exception {
        StateDict sd = StateDict.read(fixture("strided.pth"));
        // base = arange(24).reshape(4, 6), all views share its storage
        float[] t = sd.get("transposed").values();
        assertArrayEquals(new long[]{6, 4}, sd.get("transposed").shape());
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(j * 6 + i, t[i * 4 + j]);
            }
        }
        assertArrayEquals(new float[]{8, 9, 10, 14, 15, 16}, sd.get("slice").values());
        assertArrayEquals(new long[]{2, 3}, sd.get("slice").shape());
        assertArrayEquals(new float[]{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22}, sd.get("every_other").values());
        assertArrayEquals(new float[]{1.5f, -2.25f}, sd.get("double").values());
        assertEquals("float64", sd.get("double").dtype());
        assertArrayEquals(new float[]{0.5f, -3f, 1024f}, sd.get("half").values());
        assertEquals("float16", sd.get("half").dtype());
        assertArrayEquals(new long[0], sd.get("scalar").shape());
        assertArrayEquals(new float[]{2.5f}, sd.get("scalar").values());
    }

    @Test
    void pthAndSafetensorsHoldTheSameTensors() throws Exception {
        StateDict a = StateDict.read(fixture("tiny_sasrec.pth"));
        StateDict b = StateDict.read(fixture("tiny_sasrec.safetensors"));
        assertEquals(a.names(), b.names());
        assertEquals(37 - 1, a.size());
        for (String n : a.names()) {
            assertArrayEquals(a.get(n).shape(), b.get(n).shape(), n);
            assertArrayEquals(a.get(n).values(), b.get(n).values(), n);
        }
        assertArrayEquals(new long[]{12, 8}, a.get("item_embedding.weight").shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.get("nope"));
        assertTrue(e.getMessage().contains("no tensor named 'nope'"));
    }

    @Test
    void halfPrecisionConversionIsExact() {
        assertEquals(1f, DType.halfToFloat((short) 0x3c00));
        assertEquals(-2f, DType.halfToFloat((short) 0xc000));
        assertEquals(65504f, DType.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, DType.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, DType.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7e00)));
    }

    @Test
    void jsonParserReadsHeadersAndRejectsBadInput() {
        Object v = SafeTensors.parse(" {\"a\\u0041\": {\"shape\": [1, 20], \"x\": -1.5e2, \"t\": [true, null]}} ");
        Map<?, ?> m = (Map<?, ?>) ((Map<?, ?>) v).get("aA");
        assertEquals(List.of(1L, 20L), m.get("shape"));
        assertEquals(-150.0, m.get("x"));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.parse("{\"a\": 1,}"));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.parse("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.parse("{\"a\": 1, \"a\": 2}"));
    }
}

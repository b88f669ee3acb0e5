package io.seqcl.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private static String run(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args, new PrintStream(b, true, StandardCharsets.UTF_8)));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void quickstartOnSyntheticPrintsBothModelsAndTheTime() {
        String out = run("quickstart", "--dataset", "synthetic", "--epochs", "1", "--seed", "1");
        assertTrue(out.contains("Pop") && out.contains("SASRec"), out);
        assertTrue(out.contains("HR@10") && out.contains("NDCG@10"), out);
        assertTrue(out.contains("total time"), out);
        assertTrue(out.contains("SASRec  epoch 1/1  loss "), out);
    }

    @Test
    void badOptionsAreRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("quickstart", "--epochs", "ten"));
        assertTrue(e.getMessage().contains("--epochs"));
        e = assertThrows(IllegalArgumentException.class, () -> run("quickstart", "--bogus", "1"));
        assertTrue(e.getMessage().contains("bogus"));
        e = assertThrows(IllegalArgumentException.class, () -> run("frobnicate"));
        assertTrue(e.getMessage().contains("frobnicate"));
        assertTrue(run("models").contains("sasrec"));
    }
}

package io.seqcl.optim;

import io.seqcl.config.ConfigException;
import io.seqcl.config.Configs;
import io.seqcl.nn.OptimizerKind;
import io.seqcl.nn.Params;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimConfigTest {

    @Test
    void adamIsTheDefault() {
        OptimConfig c = new OptimConfig(1e-3, 0.9, 0.999, 0.0, 1e4);
        assertEquals(OptimizerKind.ADAM, c.optimizer());
        try (Params p = new Params()) {
            p.add("w", new float[] {1f}, 1);
            assertEquals(OptimizerKind.ADAM, c.newAdam(p, List.of("w")).kind());
            assertEquals(OptimizerKind.SGD, c.withOptimizer(OptimizerKind.SGD).newAdam(p, List.of("w")).kind());
        }
    }

    @Test
    void roundTripsThroughJsonAndYaml() {
        OptimConfig c = new OptimConfig(1e-3, 0.9, 0.999, 1e-2, 1e4, OptimizerKind.ADAMW);
        assertEquals(c, Configs.parse(OptimConfig.class, Configs.toJson(c), "test"));
        assertEquals(c, Configs.parse(OptimConfig.class, Configs.toYaml(c), "test"));
        assertTrue(Configs.toJson(c).contains("\"ADAMW\""));
        OptimConfig sgd = Configs.with(c, "optimizer", "SGD");
        assertEquals(OptimizerKind.SGD, sgd.optimizer());
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OptimConfig(1e-3, 0.9, 0.999, -1, 1e4, OptimizerKind.SGD)).getMessage()
                .contains("weightDecay"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OptimConfig(1e-3, 0.9, 0.999, 0, 1e4, null)).getMessage().contains("optimizer"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new OptimConfig(0.5, 0.9, 0.999, 2, 1e4, OptimizerKind.ADAMW)).getMessage().contains("AdamW"));
        String bad = Configs.toJson(new OptimConfig(1e-3, 0.9, 0.999, 0, 1e4)).replace("\"ADAM\"", "\"ADAGRAD\"");
        ConfigException e = assertThrows(ConfigException.class, () -> Configs.parse(OptimConfig.class, bad, "x.json"));
        assertTrue(e.getMessage().contains("ADAMW"), e.getMessage());
    }
}

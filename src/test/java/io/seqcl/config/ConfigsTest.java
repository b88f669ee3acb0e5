package io.seqcl.config;

import io.seqcl.cf.CfConfig;
import io.seqcl.eval.HistoryMode;
import io.seqcl.train.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training and CF configurations round-trip through JSON and YAML; wrong values name the key. */
class ConfigsTest {

    @Test
    void trainAndCfConfigsRoundTrip() {
        TrainConfig t = TrainConfig.defaults().withKs(new int[] {1, 5}).withMonitor("MRR@10")
                .withHistory(HistoryMode.ZERO).withSeed(7);
        assertEquals(t, Configs.parse(TrainConfig.class, Configs.toJson(t), "t.json"));
        assertEquals(t, Configs.parse(TrainConfig.class, Configs.toYaml(t), "t.yaml"));
        CfConfig c = CfConfig.defaults().withMinEpochs(5).withTemperature(0.3);
        assertEquals(c, Configs.parse(CfConfig.class, Configs.toYaml(c), "c.yaml"));
    }

    @Test
    void wrongValuesNameTheKeyAndTheAllowedValues() {
        String y = Configs.toYaml(TrainConfig.defaults()).replace("history: NEG_INF", "history: SOMETIMES");
        ConfigException e = assertThrows(ConfigException.class, () -> Configs.parse(TrainConfig.class, y, "t.yaml"));
        assertTrue(e.getMessage().contains("history") && e.getMessage().contains("NEG_INF")
                && e.getMessage().startsWith("t.yaml:"), e.getMessage());
        ConfigException m = assertThrows(ConfigException.class,
                () -> Configs.with(TrainConfig.defaults(), Map.of("monitor", "XYZ@3")));
        assertTrue(m.getMessage().contains("monitor") && m.getMessage().contains("XYZ@3"), m.getMessage());
        ConfigException b = assertThrows(ConfigException.class,
                () -> Configs.with(TrainConfig.defaults(), Map.of("batchSize", "0")));
        assertTrue(b.getMessage().contains("batchSize must be >= 1"), b.getMessage());
    }
}

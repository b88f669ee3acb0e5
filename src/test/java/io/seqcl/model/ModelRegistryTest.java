package io.seqcl.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqcl.config.ConfigException;
import io.seqcl.config.Configs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry lists every model class, and every registered configuration round-trips through JSON and YAML. */
class ModelRegistryTest {

    static Stream<ModelRegistry.Entry<?>> entries() {
        return ModelRegistry.entries().stream();
    }

    @Test
    void everyModelClassIsRegistered() throws IOException {
        Set<String> declared = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/seqcl/model"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String src = Files.readString(f);
                if (src.matches("(?s).*public (final )?class \\w+ extends AbstractRecommender<.*")) {
                    declared.add(f.getFileName().toString().replace(".java", ""));
                }
            }
        }
        Set<String> registered = new TreeSet<>();
        for (ModelRegistry.Entry<?> e : ModelRegistry.entries()) {
            assertFalse(e.description().isBlank(), e.key() + " has no description");
            try (SequentialRecommender m = e.create(20, e.defaults(), 1)) {
                registered.add(m.getClass().getSimpleName());
            }
        }
        assertEquals(declared, registered, "model classes and registry entries differ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void defaultsAndPresetsRoundTripThroughJsonAndYaml(ModelRegistry.Entry<?> e) {
        for (String ds : new String[] {null, "beauty", "sports", "toys", "clothing", "yelp", "ml-1m"}) {
            ModelConfig c = e.presetFor(ds);
            assertEquals(c, Configs.parse(e.configType(), Configs.toJson(c), "json"), e.key() + " " + ds);
            assertEquals(c, Configs.parse(e.configType(), Configs.toYaml(c), "yaml"), e.key() + " " + ds);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void unknownKeysAreNamedWithTheKnownOnes(ModelRegistry.Entry<?> e) {
        String json = Configs.toJson(e.defaults()).replaceFirst("\\{", "{\"noSuchKey\": 1,");
        ConfigException x = assertThrows(ConfigException.class, () -> Configs.parse(e.configType(), json, "f.json"));
        assertTrue(x.getMessage().startsWith("f.json:") && x.getMessage().contains("noSuchKey")
                && x.getMessage().contains("known keys"), x.getMessage());
    }

    @Test
    void presetsAreKeyedByBenchmarkKey() {
        MCLRecConfig beauty = (MCLRecConfig) ModelRegistry.get("mclrec").presetFor("beauty");
        assertEquals(0.05, beauty.beta());
        assertEquals(0.4, ((MCLRecConfig) ModelRegistry.get("mclrec").presetFor("sports")).beta());
        assertEquals(MCLRecConfig.defaults(), ModelRegistry.get("mclrec").presetFor("no-such-dataset"));
        assertEquals(0.3, ((MetaSGCLConfig) ModelRegistry.get("metasgcl").presetFor("clothing")).beta());
        // the paper datasets' KL on ContrastVAE's scale; the defaults (any other dataset) average over real positions
        for (String key : new String[] {"clothing", "toys", "ml-1m"}) {
            assertTrue(((MetaSGCLConfig) ModelRegistry.get("metasgcl").presetFor(key)).klOverSlots(), key);
        }
        assertFalse(((MetaSGCLConfig) ModelRegistry.get("metasgcl").presetFor("beauty")).klOverSlots());
        assertFalse(MetaSGCLConfig.defaults().klOverSlots());
        assertEquals("MCLRec-J", ModelRegistry.get("mclrec").nameFor(MCLRecConfig.defaults().joint()));
    }

    @Test
    void nestedKeyErrorsNameThePathAndAllowedValues() {
        String bad = "encoder:\n  maxLen: 50\n  transformer: {hiddenSize: 64, layers: 2, heads: 3, innerSize: 256,"
                + " activation: GELU, hiddenDropout: 0.5, attnDropout: 0.5, layerNormEps: 1.0e-12, packed: true}\n"
                + "  initStd: 0.02\n  padding: RIGHT\nsampleMode: PREFIX\nloss: {type: full-softmax-ce}\n";
        ConfigException heads = assertThrows(ConfigException.class,
                () -> Configs.parse(SASRecConfig.class, bad, "s.yaml"));
        assertTrue(heads.getMessage().contains("encoder.transformer") && heads.getMessage().contains("heads"),
                heads.getMessage());
        String badEnum = Configs.toYaml(SASRecConfig.defaults()).replace("padding: RIGHT", "padding: MIDDLE");
        ConfigException pad = assertThrows(ConfigException.class,
                () -> Configs.parse(SASRecConfig.class, badEnum, "s.yaml"));
        assertTrue(pad.getMessage().contains("encoder.padding") && pad.getMessage().contains("LEFT, RIGHT")
                && pad.getMessage().startsWith("s.yaml:"), pad.getMessage());
        String badType = Configs.toYaml(SASRecConfig.defaults()).replace("maxLen: 50", "maxLen: fifty");
        ConfigException type = assertThrows(ConfigException.class,
                () -> Configs.parse(SASRecConfig.class, badType, "s.yaml"));
        assertTrue(type.getMessage().contains("encoder.maxLen"), type.getMessage());
    }

    @Test
    void aMissingKeyIsNamed() {
        String y = Configs.toYaml(SASRecConfig.defaults()).replace("sampleMode: PREFIX\n", "");
        ConfigException x = assertThrows(ConfigException.class, () -> Configs.parse(SASRecConfig.class, y, "m.yaml"));
        assertTrue(x.getMessage().contains("m.yaml") && x.getMessage().contains("sampleMode"), x.getMessage());
        String z = Configs.toYaml(SASRecConfig.defaults()).replace("    packed: true\n", "");
        ConfigException p = assertThrows(ConfigException.class, () -> Configs.parse(SASRecConfig.class, z, "m.yaml"));
        assertTrue(p.getMessage().contains("missing key 'encoder.transformer.packed'"), p.getMessage());
    }

    @Test
    void setChangesOneFieldByKeyPathAndValidates() {
        SASRecConfig c = Configs.with(SASRecConfig.defaults(), Map.of("encoder.maxLen", "200",
                "encoder.padding", "LEFT"));
        assertEquals(200, c.maxLen());
        assertEquals(io.seqcl.protocol.Padding.LEFT, c.padding());
        assertNotEquals(SASRecConfig.defaults(), c);
        ConfigException x = assertThrows(ConfigException.class,
                () -> Configs.with(SASRecConfig.defaults(), Map.of("encoder.maxLenn", "3")));
        assertTrue(x.getMessage().contains("encoder.maxLenn") && x.getMessage().contains("maxLen"), x.getMessage());
        ConfigException v = assertThrows(ConfigException.class,
                () -> Configs.with(SASRecConfig.defaults(), Map.of("encoder.maxLen", "0")));
        assertTrue(v.getMessage().contains("maxLen must be >= 1"), v.getMessage());
    }

    @Test
    void configJsonHoldsOnlyTheRecordComponents() {
        JsonNode n = Configs.toTree(MetaSGCLConfig.defaults());
        assertTrue(n.has("encoder") && n.has("alpha"));
        assertFalse(n.has("maxLen") || n.has("transformer") || n.has("inputSpec") || n.has("backbone"), n.toString());
    }
}

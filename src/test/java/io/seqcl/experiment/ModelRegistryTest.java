package io.seqcl.experiment;

import io.seqcl.model.SequentialRecommender;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ModelRegistryTest {

    @Test
    void everyModelClassIsRegisteredAndDescribed() throws IOException {
        Set<String> declared = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/seqcl/model"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String src = Files.readString(f);
                if (src.contains("implements SequentialRecommender")) {
                    declared.add(f.getFileName().toString().replace(".java", ""));
                }
            }
        }
        Set<String> registered = new TreeSet<>();
        for (ModelRegistry.Entry e : ModelRegistry.entries()) {
            assertFalse(e.description().isBlank(), e.name() + " has no description");
            try (SequentialRecommender m = e.defaults().get().factory().create(20, 1)) {
                registered.add(m.getClass().getSimpleName());
            }
        }
        assertEquals(declared, registered, "model classes and registry entries differ");
    }
}

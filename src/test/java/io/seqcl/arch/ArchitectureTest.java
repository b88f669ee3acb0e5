package io.seqcl.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Package structure rules: no cycles between seqcl's packages; environment variables read in one place. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.seqcl");

    @Test
    void noPackageCycles() {
        slices().matching("io.seqcl.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void environmentVariablesAreReadOnlyBySettings() {
        noClasses().that().doNotHaveFullyQualifiedName("io.seqcl.Settings")
                .should().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .because("environment variables are read in one settings class (io.seqcl.Settings)")
                .check(MAIN);
    }

    @Test
    void modelsDoNotDependOnTrainingOrExperiments() {
        noClasses().that().resideInAPackage("io.seqcl.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seqcl.train..", "io.seqcl.experiment..",
                        "io.seqcl.cli..", "io.seqcl.notebook..")
                .check(MAIN);
    }
}

package io.perkamo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.time.Clock;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of ARCHITECTURE.md, checked on the compiled main classes: dependencies
 * point inward (cli -> node -> api/stream/webhooks/usage/replay/console -> control -> topics
 * -> core -> schemas), never sideways between peers, and core stays a pure function. A new
 * import that breaks a rule fails the build here, naming the class and the dependency.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.perkamo");
    }

    @Test
    void dependenciesPointInward() {
        layers().check(main);
    }

    @Test
    void shouldFailOnAPeerImport() throws ClassNotFoundException {
        // a stream class (test sources) reaching into the API: the kind of import the rule stops
        JavaClasses sideways = new ClassFileImporter().importClasses(
                Class.forName("io.perkamo.stream.ReachesIntoTheApi"), io.perkamo.api.ApiServer.class);

        assertThatThrownBy(() -> layers().check(sideways)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ReachesIntoTheApi").hasMessageContaining("ApiServer");
    }

    private static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("cli").definedBy("io.perkamo.cli..")
                .layer("node").definedBy("io.perkamo.node..")
                .layer("local").definedBy("io.perkamo.local..")
                .layer("api").definedBy("io.perkamo.api..")
                .layer("stream").definedBy("io.perkamo.stream..")
                .layer("webhooks").definedBy("io.perkamo.webhooks..")
                .layer("usage").definedBy("io.perkamo.usage..")
                .layer("replay").definedBy("io.perkamo.replay..")
                .layer("console").definedBy("io.perkamo.console..")
                .layer("control").definedBy("io.perkamo.control..")
                .layer("topics").definedBy("io.perkamo.topics..")
                .layer("core").definedBy("io.perkamo.core..")
                .layer("schemas").definedBy("io.perkamo.schemas..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("node").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("local").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("api").mayOnlyBeAccessedByLayers("node")
                .whereLayer("stream").mayOnlyBeAccessedByLayers("node")
                .whereLayer("webhooks").mayOnlyBeAccessedByLayers("node", "cli")
                .whereLayer("usage").mayOnlyBeAccessedByLayers("node", "cli")
                .whereLayer("replay").mayOnlyBeAccessedByLayers("node", "cli")
                .whereLayer("console").mayOnlyBeAccessedByLayers("node")
                // api reaches the control plane only through its own ports, adapted in node
                .whereLayer("control").mayOnlyBeAccessedByLayers("cli", "node", "local", "stream", "webhooks",
                        "usage", "replay", "console")
                .whereLayer("topics").mayOnlyBeAccessedByLayers("cli", "node", "local", "stream", "webhooks",
                        "usage", "replay", "console", "control")
                .whereLayer("core").mayOnlyBeAccessedByLayers("cli", "node", "local", "api", "stream", "webhooks",
                        "usage", "replay", "console", "control")
                .whereLayer("schemas").mayOnlyBeAccessedByLayers("cli", "node", "local", "api", "stream",
                        "webhooks", "usage", "replay", "console", "control", "topics", "core");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.perkamo.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void coreIsPure() {
        noClasses().that().resideInAPackage("io.perkamo.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.javalin..",
                        "org.eclipse.jetty..", "java.net..", "java.nio.file..", "org.slf4j..", "java.util.concurrent..")
                .because("the fold is a pure function: no Kafka, no I/O, no threads, no logging")
                .check(main);
        noClasses().that().resideInAPackage("io.perkamo.core..")
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .orShould().dependOnClassesThat().areAssignableTo(Random.class)
                .because("time comes from the record and nothing is random, so replays are exact")
                .check(main);
    }
}

package org.gridlink.kernel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain (state machine, rules) stays plain Java: no Spring, no R2DBC, no Kafka, no JSON library. */
@AnalyzeClasses(packages = "org.gridlink.kernel", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsPlainJava = noClasses()
            .that().resideInAnyPackage("org.gridlink.kernel.cases", "org.gridlink.kernel.units",
                    "org.gridlink.kernel.access", "org.gridlink.kernel.calendar")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.r2dbc..",
                    "org.apache.kafka..", "tools.jackson..", "com.fasterxml..", "reactor..");

    @ArchTest
    static final ArchRule domainDoesNotReachIntoAdapters = noClasses()
            .that().resideInAnyPackage("org.gridlink.kernel.cases", "org.gridlink.kernel.units",
                    "org.gridlink.kernel.access", "org.gridlink.kernel.calendar")
            .should().dependOnClassesThat().resideInAnyPackage("org.gridlink.kernel.cases.persistence..",
                    "org.gridlink.kernel.cases.web..", "org.gridlink.kernel.cases.messaging..",
                    "org.gridlink.kernel.cases.application..", "org.gridlink.kernel.support..");
}

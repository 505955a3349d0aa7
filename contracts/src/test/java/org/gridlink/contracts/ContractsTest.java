package org.gridlink.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contracts hold together: every schema is valid draft 2020-12, every golden example validates against
 * its schema (the deliberately invalid ones do not), and no released schema has been changed in a breaking
 * way without a new version.
 */
class ContractsTest {

    static final Path EVENTS = Path.of("events");
    static final Path EXAMPLES = Path.of("examples");
    static final Path RELEASED = Path.of("released");
    static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyGoldenExampleMatchesItsSchema() throws IOException {
        List<Path> examples = files(EXAMPLES).stream().filter(p -> !p.toString().contains("/invalid/")
                && !p.toString().contains("/tolerated/")).toList();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(8);
        return examples.stream().map(p -> DynamicTest.dynamicTest(EXAMPLES.relativize(p).toString(), () -> {
            JsonNode message = JSON.readTree(p.toFile());
            String type = message.path("headers").path("ce_type").asText();
            assertThat(message.path("headers").path("ce_specversion").asText()).isEqualTo("1.0");
            // case events are keyed by the unit they are sent to, unit reports by the unit that reports, the
            // calendar's years by the year
            JsonNode body = message.path("body");
            assertThat(message.path("key").asText()).isEqualTo(body.has("toUnit") ? body.path("toUnit").asText()
                    : body.has("unit") ? body.path("unit").asText() : body.path("year").asText());
            Set<ValidationMessage> errors = schema(type).validate(message.path("body"));
            assertThat(errors).as("%s against %s", p, type).isEmpty();
        }));
    }

    @Test
    void anInvalidExampleIsRejectedByItsSchema() throws IOException {
        JsonNode message = JSON.readTree(EXAMPLES.resolve("case-progressed/v1/invalid/missing-entry.json").toFile());
        assertThat(schema("gridlink.case.progressed.v1").validate(message.path("body")))
                .extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("entry"));
    }

    @TestFactory
    Stream<DynamicTest> noReleasedSchemaIsBrokenWithoutANewVersion() throws IOException {
        List<Path> released = files(RELEASED);
        assertThat(released).isNotEmpty();
        return released.stream().map(p -> DynamicTest.dynamicTest(RELEASED.relativize(p).toString(), () -> {
            Path current = EVENTS.resolve(RELEASED.relativize(p));
            if (!Files.exists(current)) {
                return; // the version was retired; its successor is a new event type version
            }
            assertThat(SchemaCompatibility.breakingChanges(JSON.readTree(p.toFile()), JSON.readTree(current.toFile())))
                    .as("breaking changes to %s: bump the event type's version instead", current).isEmpty();
        }));
    }

    @Test
    void everySchemaCarriesItsCloudEventsAttributes() throws IOException {
        for (Path p : files(EVENTS)) {
            JsonNode schema = JSON.readTree(p.toFile());
            String type = schema.path("title").asText();
            assertThat(p.getFileName().toString()).isEqualTo(type + ".schema.json");
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("x-cloudevents").path("type").asText()).isEqualTo(type);
            assertThat(schema.path("x-cloudevents").path("kafka").path("headers").toString())
                    .contains("ce_id", "ce_source", "ce_type", "ce_specversion");
        }
    }

    static JsonSchema schema(String type) throws IOException {
        String[] parts = type.split("\\.");
        Path path = EVENTS.resolve(parts[1] + "-" + parts[2]).resolve(type + ".schema.json");
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(path), config);
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}

package org.gridlink.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The gate itself: fed deliberately broken copies of a real released schema, it names each breaking change. */
class SchemaCompatibilityTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path RELEASED = Path.of("released/case-progressed/gridlink.case.progressed.v1.schema.json");

    JsonNode released() throws IOException {
        return JSON.readTree(RELEASED.toFile());
    }

    @Test
    void theSameSchemaHasNoBreakingChange() throws IOException {
        assertThat(SchemaCompatibility.breakingChanges(released(), released())).isEmpty();
    }

    @Test
    void addingAnOptionalPropertyOrWideningAnEnumIsAllowed() throws IOException {
        ObjectNode current = (ObjectNode) released();
        ((ObjectNode) current.path("properties")).putObject("priority").put("type", "string");
        ((ArrayNode) current.path("$defs").path("status").path("enum")).add("PARKED");
        assertThat(SchemaCompatibility.breakingChanges(released(), current)).isEmpty();
    }

    @Test
    void removingOrRenamingAPropertyIsBreaking() throws IOException {
        ObjectNode current = (ObjectNode) released();
        ((ObjectNode) current.path("properties")).remove("resolution");
        ((ObjectNode) current.path("$defs").path("entry").path("properties")).remove("note");
        assertThat(SchemaCompatibility.breakingChanges(released(), current))
                .contains("removed or renamed property 'resolution'", "removed or renamed property 'entry.note'");
    }

    @Test
    void changingATypeIsBreaking() throws IOException {
        ObjectNode current = (ObjectNode) released();
        ((ObjectNode) current.path("$defs").path("entry").path("properties").path("actor")).put("type", "integer");
        assertThat(SchemaCompatibility.breakingChanges(released(), current))
                .anyMatch(m -> m.startsWith("changed type of 'entry.actor'"));
    }

    @Test
    void aNewRequiredPropertyIsBreaking() throws IOException {
        ObjectNode current = (ObjectNode) released();
        ((ObjectNode) current.path("properties")).putObject("priority").put("type", "string");
        ((ArrayNode) current.path("required")).add("priority");
        assertThat(SchemaCompatibility.breakingChanges(released(), current)).contains("new required property 'priority'");
    }

    @Test
    void narrowingAnEnumIsBreaking() throws IOException {
        ObjectNode current = (ObjectNode) released();
        ArrayNode statuses = (ArrayNode) current.path("$defs").path("status").path("enum");
        statuses.remove(statuses.size() - 1);
        assertThat(SchemaCompatibility.breakingChanges(released(), current))
                .anyMatch(m -> m.startsWith("narrowed enum of 'status'") && m.contains("CLOSED"));
    }

    @Test
    void returnedV2WouldHaveBrokenV1WhichIsWhyItIsANewVersion() throws IOException {
        JsonNode v1 = JSON.readTree(Path.of("released/case-returned/gridlink.case.returned.v1.schema.json").toFile());
        JsonNode v2 = JSON.readTree(Path.of("events/case-returned/gridlink.case.returned.v2.schema.json").toFile());
        assertThat(SchemaCompatibility.breakingChanges(v1, v2))
                .anyMatch(m -> m.startsWith("changed type of 'reason'"))
                .contains("new required property 'reason'");
    }
}

package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;
import static org.gridlink.local.e2e.CrossTierFlowIT.SHENGWEI_COMMUNITY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Producer side of the contracts: every event the nodes put on the inbox topics, in this test and in every
 * test before it in this JVM, validates against its schema in contracts/events; a field the schema does not
 * know fails it.
 */
class EventContractIT {

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    @Test
    void everyEventTheNodesPublishMatchesItsSchema() throws Exception {
        // make sure each event type has been produced at least once
        String returned = api.reportCase(JINGBALU_COMMUNITY, "contract: returned");
        api.act(JINGBALU_COMMUNITY, returned, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, returned, "ESCALATE", "please", null);
        api.awaitStatus(JINGBALU, returned, "REPORTED");
        api.act(JINGBALU, returned, "RETURN", "yours", null);
        api.awaitStatus(JINGBALU_COMMUNITY, returned, "RETURNED");
        String dispatched = api.reportCase(JINGBALU_COMMUNITY, "contract: dispatched");
        api.act(JINGBALU_COMMUNITY, dispatched, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, dispatched, "ESCALATE", "please", null);
        api.awaitStatus(JINGBALU, dispatched, "REPORTED");
        api.act(JINGBALU, dispatched, "ACCEPT");
        api.act(JINGBALU, dispatched, "DISPATCH", "to the neighbour", SHENGWEI_COMMUNITY);
        api.awaitStatus(SHENGWEI_COMMUNITY, dispatched, "REPORTED");

        Map<String, Integer> checked = publishedEventsMatchTheirSchemas(platform);
        assertThat(checked).containsKeys("gridlink.case.escalated.v1", "gridlink.case.dispatched.v1",
                "gridlink.case.returned.v2", "gridlink.case.progressed.v1");
    }

    @Test
    void theSchemaRejectsAFieldItDoesNotKnow() throws Exception {
        JsonSchema schema = schema("gridlink.case.returned.v1");
        JsonNode ok = new ObjectMapper().readTree("""
                {"caseId":"%s","fromUnit":"410105001000","toUnit":"410105001001","reason":"yours",
                 "entry":{"id":"%s","at":"2026-11-28T10:00:00Z","unitCode":"410105001000","actor":"a","action":"RETURN"}}
                """.formatted(UUID.randomUUID(), UUID.randomUUID()));
        assertThat(schema.validate(ok)).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) ok).put("surprise", 1);
        assertThat(schema.validate(ok)).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("surprise"));
    }

    /**
     * Reads every event the nodes published so far in this JVM, checks its envelope and validates its body against
     * its schema (a field the schema does not know fails); the number checked per event type.
     */
    static Map<String, Integer> publishedEventsMatchTheirSchemas(TestPlatform platform) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonSchema> schemas = new HashMap<>();
        Map<String, Integer> checked = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(platform.kafka().bootstrapServers(), tier.inboxTopic())) {
                String type = TopicReader.header(r, "ce_type");
                if ("/units/test".equals(TopicReader.header(r, "ce_source"))) {
                    continue; // hand-made messages of the delivery tests, some malformed on purpose
                }
                if (TopicReader.header(r, GoldenExamplesIT.MARK) != null) {
                    continue; // golden examples fed by the consumer-side test, some tolerated or invalid on purpose
                }
                assertThat(type).as("ce_type of %s", r).matches("gridlink\\.(case|notice)\\..*");
                assertThat(TopicReader.header(r, "ce_specversion")).isEqualTo("1.0");
                assertThat(TopicReader.header(r, "ce_dataschema")).isEqualTo("urn:gridlink:contracts:events:" + type);
                assertThat(TopicReader.header(r, "content-type")).isEqualTo("application/json");
                JsonNode body = json.readTree(r.value());
                assertThat(body.path("toUnit").asText()).isEqualTo(r.key());
                JsonSchema schema = schemas.computeIfAbsent(type, EventContractIT::schema);
                Set<ValidationMessage> errors = schema.validate(body);
                errors.forEach(e -> violations.add(type + ": " + e.getMessage()));
                checked.merge(type, 1, Integer::sum);
            }
        }
        assertThat(violations).isEmpty();
        return checked;
    }

    static JsonSchema schema(String type) {
        String[] parts = type.split("\\.");
        String path = "contracts/events/" + parts[1] + "-" + parts[2] + "/" + type + ".schema.json";
        try (InputStream in = EventContractIT.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }


}

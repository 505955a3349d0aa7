package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.MediaType;

/**
 * Each node's OpenAPI description (springdoc, {@code /v3/api-docs}) is the one checked in as
 * {@code contracts/openapi/<tier>.json}, so that a change to the HTTP API shows up in review and the documents
 * the contracts' lint checks are the ones the nodes serve. With {@code -Dgridlink.openapi.write=true} the test
 * writes the files instead of comparing.
 */
class OpenApiDocumentsIT {

    static final String WRITE = "gridlink.openapi.write";
    static final String REGENERATE = "./mvnw -B -pl deploy/local -am verify -Dit.test=OpenApiDocumentsIT"
            + " -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.failIfNoSpecifiedTests=false -D" + WRITE + "=true";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestPlatform platform;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
    }

    @TestFactory
    Stream<DynamicTest> everyNodeServesItsCheckedInOpenApiDocument() {
        Path dir = repositoryRoot().resolve("contracts/openapi");
        boolean write = Boolean.getBoolean(WRITE);
        return Stream.of(Tier.values()).map(tier -> DynamicTest.dynamicTest(tier.id(), () -> {
            String served = platform.directAnonymous(tier).get().uri("/v3/api-docs").accept(MediaType.APPLICATION_JSON)
                    .exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(served).as("the %s node's /v3/api-docs", tier.id()).isNotBlank();
            JsonNode actual = JSON.readTree(served);
            assertThat(actual.path("openapi").asText()).startsWith("3.1");
            assertThat(actual.path("info").path("title").asText()).contains(tier.id());
            Path file = dir.resolve(tier.id() + ".json");
            if (write) {
                Files.createDirectories(dir);
                Files.writeString(file, served.strip() + "\n", StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                fail(file + " is missing: the " + tier.id() + " node's OpenAPI description is checked in there."
                        + " Regenerate the files with\n  " + REGENERATE);
            }
            JsonNode expected = JSON.readTree(file.toFile());
            if (!expected.equals(actual)) {
                List<String> differences = new ArrayList<>();
                differences(expected, actual, "", differences);
                fail(file + " is not what the " + tier.id() + " node serves at /v3/api-docs; it differs at "
                        + String.join(", ", differences) + ".\nIf the HTTP API changed on purpose, regenerate the"
                        + " files and commit them with the change:\n  " + REGENERATE);
            }
        }));
    }

    /** The JSON pointers where the two documents differ, the first ten. */
    static void differences(JsonNode expected, JsonNode actual, String at, List<String> out) {
        if (out.size() >= 10 || expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String path = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!expected.has(name)) {
                    out.add(path + " (only served)");
                } else if (!actual.has(name)) {
                    out.add(path + " (only in the file)");
                } else {
                    differences(expected.get(name), actual.get(name), path, out);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) {
                differences(e.next(), a.next(), at + "/" + i, out);
            }
        } else {
            out.add((at.isEmpty() ? "/" : at) + " (file: " + abbreviate(expected) + ", served: " + abbreviate(actual) + ")");
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    /** The checkout's root: the test runs in deploy/local, but look upwards rather than assume it. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("contracts")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (with contracts/ and mvnw) above "
                + Path.of("").toAbsolutePath());
    }
}

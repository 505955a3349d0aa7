package org.gridlink.kernel.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.web.CaseController;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's OpenAPI description at {@code /v3/api-docs}, checked in as {@code contracts/openapi/<tier>.json}:
 * titled by tier, every error answer described as problem+json, and nothing that depends on the request (the
 * servers are fixed), so that the same build always serves the same document.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsConfiguration {

    /** The HTTP API's version, not the build's: raised when the API changes, so the documents change only with it. */
    static final String API_VERSION = "1.0.0";
    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String BEARER = "bearer";

    @Bean
    OpenAPI gridlinkOpenApi(GridlinkProperties props) {
        Tier tier = Objects.requireNonNull(props.tier(), "gridlink.tier must name this node's tier");
        return new OpenAPI()
                .info(new Info()
                        .title("gridlink " + tier.id() + " node API")
                        .version(API_VERSION)
                        .description(description(tier))
                        .contact(new Contact().name("gridlink")))
                .servers(List.of(new Server().url("http://localhost:8080")
                        .description("the local platform's gateway (run-local.sh): it routes /api/units/{code}/** to"
                                + " the node that serves the code's tier")))
                .tags(List.of(
                        new Tag().name("cases").description("A unit's records of cases: report, list, read, act;"
                                + " the ledger (台账) as CSV and XLSX."),
                        new Tag().name("units").description("The administrative units this node serves, the case"
                                + " categories and the sources a report may name."),
                        new Tag().name("open311").description("Open311 GeoReport v2 at every unit"
                                + " (/api/units/{code}/open311/v2/): services are categories, service requests a unit's"
                                + " records; JSON only, problem+json errors (docs/open311.md)."),
                        new Tag().name("supervision").description("Supervision notices (督办) about overdue records below"
                                + " a unit."),
                        new Tag().name("notices").description("Notices (通知, 工作部署) a unit issues to the units below"
                                + " it, each of which signs for it (签收); who has and who has not (docs/notices.md)."),
                        new Tag().name("stats").description("Figures reported up the tiers, their daily series and the"
                                + " assessment of a unit's children (docs/stats.md); CSV and XLSX exports."),
                        new Tag().name("calendar").description("The working calendar the time limits run on (工作日历),"
                                + " a year of which the city's administrator publishes (日历发布) for every tier."),
                        new Tag().name("dead letters").description("What a node set aside from its inbox and has not"
                                + " applied, for an administrator to read and send again.")));
    }

    /**
     * What every operation shares, said once: error answers are problem+json, the unit code and case id have
     * their shapes, and the closed sets (actions, statuses) are listed from the enums that define them. (The
     * Problem schema is added here, not in the OpenAPI bean: springdoc drops unreferenced schemas before it
     * runs the customizers.)
     */
    @Bean
    OpenApiCustomizer gridlinkApiConventions() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            openApi.getComponents().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("JWT")
                    .description("An access token from the city's identity provider (gridlink.security.issuer), with"
                            + " the claims sub, unit, roles and optionally grids, assignments, contracts."));
            if (openApi.getPaths() != null) {
                openApi.getPaths().values().forEach(path -> path.readOperations().forEach(ApiDocsConfiguration::conventions));
            }
            Schema<?> actionBody = openApi.getComponents().getSchemas().get("ActionBody");
            if (actionBody != null && actionBody.getProperties() != null) {
                actionBody.getProperties().put("action", enumOf(Arrays.stream(CaseAction.values()).map(Enum::name))
                        .description("what to do; the record's allowedActions says which are allowed now"));
            }
        };
    }

    private static void conventions(Operation op) {
        // every API operation needs a bearer token and is held to the person's jurisdiction, but one that says it
        // needs none (an empty security list: Open311's service discovery)
        boolean open = op.getSecurity() != null && op.getSecurity().isEmpty();
        if (!open) {
            op.addSecurityItem(new SecurityRequirement().addList(BEARER));
        }
        if (op.getResponses() != null) {
            if (!open) {
                op.getResponses().addApiResponse("401", new ApiResponse().description("No valid bearer access token"
                        + " from the city's identity provider (missing, expired, signed by another key, tampered)."));
                op.getResponses().addApiResponse("403", new ApiResponse().description("Outside the person's"
                        + " jurisdiction or role: reads reach the person's unit and the units below it, actions their"
                        + " own unit only."));
            }
            op.getResponses().forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    response.setContent(new Content().addMediaType(PROBLEM_JSON,
                            new MediaType().schema(new JsonSchema().$ref("#/components/schemas/" + PROBLEM))));
                }
            });
        }
        if (op.getParameters() == null) {
            return;
        }
        for (Parameter p : op.getParameters()) {
            // springdoc shares one schema instance between parameters of a type: replace, never modify
            switch (p.getIn() + ":" + p.getName()) {
                case "path:code" -> {
                    p.setDescription("the unit's code: 12 digits, PPCCDDTTTVVV (province, city, district, township,"
                            + " community); its tier must be this node's");
                    p.setSchema(string(null).pattern("^[0-9]{12}$"));
                }
                case "path:caseId" -> {
                    p.setDescription("the case's global id");
                    p.setSchema(string(null).format("uuid"));
                }
                case "query:status" -> {
                    p.setDescription("only records in this status");
                    p.setSchema(enumOf(Arrays.stream(CaseStatus.values()).filter(v -> v != CaseStatus.UNKNOWN)
                            .map(Enum::name)));
                }
                case "query:category" -> p.setDescription("only records of this category code");
                case "query:limit" -> {
                    p.setDescription("the page size");
                    p.setSchema(new JsonSchema().types(Set.of("integer")).format("int32")
                            .minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(CaseController.MAX_LIMIT))
                            ._default(CaseController.DEFAULT_LIMIT));
                }
                case "query:cursor" -> p.setDescription("the nextCursor of the previous page");
                case "query:overdue" -> {
                    p.setDescription("true: only the records whose running clock (acceptance, or handling) has run out");
                    p.setSchema(new JsonSchema().types(Set.of("boolean")));
                }
                default -> {
                }
            }
        }
    }

    /** RFC 9457 problem details, with the members this API adds to some of them. */
    private static Schema<?> problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", string("a URI naming the kind of problem, urn:gridlink:problem:<kind>").format("uri"));
        properties.put("title", string("a short summary of the kind of problem"));
        properties.put("status", new JsonSchema().types(Set.of("integer")).format("int32")
                .description("the HTTP status code"));
        properties.put("detail", string("what went wrong with this request, and what to fix"));
        properties.put("instance", string("the request path, where known").format("uri-reference"));
        properties.put("field", string("the request field at fault (400, 422)"));
        properties.put("errors", new JsonSchema().types(Set.of("array")).description("each invalid field of the body (400)")
                .items(new JsonSchema().types(Set.of("object"))
                        .addProperty("field", string("the field"))
                        .addProperty("message", string("what is wrong with it"))));
        properties.put("currentStatus", string("the record's status (409)"));
        properties.put("action", string("the refused action (409)"));
        properties.put("allowedActions", new JsonSchema().types(Set.of("array"))
                .description("the actions allowed in the current status (409)").items(string(null)));
        return new JsonSchema().types(Set.of("object"))
                .description("An RFC 9457 problem: every error answer of this API.")
                .properties(properties);
    }

    private static Schema<Object> enumOf(Stream<String> values) {
        Schema<Object> schema = new JsonSchema().types(Set.of("string"));
        values.forEach(schema::addEnumItemObject);
        return schema;
    }

    private static Schema<?> string(String description) {
        return new JsonSchema().types(Set.of("string")).description(description);
    }

    private static String description(Tier tier) {
        String common = "The case API every gridlink node serves for the units of its tier: report a case, list a"
                + " unit's records, read one with its timeline and chain, and act on it (accept, escalate, dispatch,"
                + " resolve, verify, close...). Cross-tier hand-overs travel as events on Kafka (contracts/asyncapi.yaml)."
                + " Errors are RFC 9457 application/problem+json.\n\n";
        String tierText = switch (tier) {
            case COMMUNITY -> "The community (村/社区) tier: grid cells live here, and a report may name one of the"
                    + " community's own cells. Communities have no child units: cases are handled here or escalated"
                    + " to the township.";
            case TOWNSHIP -> "The township (乡镇/街道办) tier: receives escalations from its communities, dispatches"
                    + " cases down to them or forwards them sideways to a sibling of the origin, and escalates to the"
                    + " district.";
            case DISTRICT -> "The district (县/市/区) tier: receives escalations from its townships, dispatches down"
                    + " to them, and escalates to the city.";
            case CITY -> "The city (市) tier, the top: cannot escalate; dispatches down to districts and closes"
                    + " city-level cases, which closes every record along the chain.";
        };
        return common + tierText;
    }
}

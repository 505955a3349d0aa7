package org.gridlink.kernel.open311;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.config.GridlinkProperties;
import org.gridlink.kernel.support.security.SecurityConfiguration.SecuritySettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Open311's service discovery (http://wiki.open311.org/Service_Discovery) at every unit:
 * {@code /api/units/{code}/open311/discovery.json} names the unit's GeoReport v2 endpoint, so an Open311 app or tool
 * given the unit's address finds where to report and how to sign in. Open to anyone, without a token, as the standard
 * means it to be read before an app has a key: it says nothing a unit's public address does not (the unit exists, its
 * endpoint, the identity provider). The endpoint's URL is on the platform's public address
 * ({@code gridlink.api.public-url}, the gateway's), or, without one, on the address the node was reached at.
 */
@RestController
@Tag(name = "open311")
public class Open311Discovery {

    static final String SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";
    private static final DateTimeFormatter CHANGESET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** The discovery document, with the standard's field names. */
    public record Discovery(String changeset, String contact, @JsonProperty("key_service") String keyService,
                            List<Endpoint> endpoints) {
    }

    /** An endpoint of a specification: where, which formats, and whether for production. */
    public record Endpoint(String specification, String url, String changeset, String type, List<String> formats) {
    }

    private final NodeUnits node;
    private final String contact;
    private final String keyService;
    private final String changeset;
    private final URI publicUrl;

    public Open311Discovery(NodeUnits node, SecuritySettings security, GridlinkProperties props, Clock clock,
                            @Value("${gridlink.open311.contact:the city's grid management platform (网格化管理平台):"
                                    + " a unit's staff and administrators}") String contact) {
        this.node = node;
        this.contact = contact;
        this.publicUrl = props.api().publicUrl();
        this.keyService = "No api_key: every request but this one carries a bearer access token from the city's"
                + " identity provider (OpenID Connect, " + security.issuer() + "), as Authorization: Bearer <token>;"
                + " a resident signs in there with their account.";
        // the services are the seeds' categories, read when the node started
        this.changeset = CHANGESET.format(Instant.now(clock).atZone(node.directory().calendar().zone()));
    }

    @GetMapping("/api/units/{code}/open311/discovery.json")
    @SecurityRequirements
    @Operation(operationId = "open311Discovery", summary = "Open311: service discovery of a unit",
            description = "The unit's Open311 service discovery document: its GeoReport v2 endpoint (on the platform's"
                    + " public address, gridlink.api.public-url; JSON only, production), how to sign in (key_service),"
                    + " whom to ask (contact)."
                    + " Open to anyone, without a token.")
    @ApiResponse(responseCode = "200", description = "The discovery document.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<Discovery> discovery(@PathVariable String code, ServerHttpRequest request) {
        return Mono.fromSupplier(() -> {
            node.requireServed(code);
            String path = "/api/units/" + code + "/open311/v2";
            String url = publicUrl != null ? publicUrl.toString().replaceAll("/+$", "") + path
                    : UriComponentsBuilder.fromUri(request.getURI()).replacePath(path).replaceQuery(null).toUriString();
            return new Discovery(changeset, contact, keyService, List.of(new Endpoint(SPECIFICATION, url, changeset,
                    "production", List.of("application/json"))));
        });
    }
}

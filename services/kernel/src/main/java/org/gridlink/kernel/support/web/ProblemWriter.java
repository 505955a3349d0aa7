package org.gridlink.kernel.support.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Writes a problem+json answer outside the controllers (filters, the fallback error handler). */
public final class ProblemWriter {

    private final ObjectMapper json;

    public ProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    public Mono<Void> write(ServerHttpResponse response, HttpStatus status, String type, String title, String detail,
                            String instance) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(ApiProblems.TYPE_BASE + type));
        p.setTitle(title);
        if (instance != null) {
            p.setInstance(URI.create(instance));
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(p);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}

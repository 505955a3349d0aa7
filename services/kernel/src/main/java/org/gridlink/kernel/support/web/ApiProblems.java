package org.gridlink.kernel.support.web;

import io.r2dbc.spi.R2dbcTransientException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.gridlink.kernel.access.AccessRefusedException;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.IllegalTransitionException;
import org.gridlink.kernel.cases.InvalidCommandException;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.RecordChangedException;
import org.gridlink.kernel.cases.application.UnknownCaseException;
import org.gridlink.kernel.cases.application.UnknownUnitException;
import org.gridlink.kernel.cases.web.RecordVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every client mistake to an RFC 9457 {@code application/problem+json} answer with a message that says
 * what to fix; nothing the client sends ends in a 500.
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    public static final URI TYPE_BASE = URI.create("urn:gridlink:problem:");

    /** A path no endpoint of this node answers: its problem type and title. */
    static final String NO_SUCH_RESOURCE = "no-such-resource";
    static final String NO_SUCH_RESOURCE_TITLE = "No such resource";

    @ExceptionHandler(IllegalTransitionException.class)
    public ProblemDetail illegalTransition(IllegalTransitionException e) {
        ProblemDetail p = problem(HttpStatus.CONFLICT, "illegal-transition", "Action not allowed in the current status",
                e.getMessage());
        p.setProperty("currentStatus", e.current().name());
        p.setProperty("action", e.action().name());
        p.setProperty("allowedActions", e.allowed().stream().map(CaseAction::name).sorted().toList());
        return p;
    }

    /** An action sent on a version of the record it no longer has: 412, with the record's version now as its ETag. */
    @ExceptionHandler(RecordChangedException.class)
    public ResponseEntity<ProblemDetail> recordChanged(RecordChangedException e) {
        ProblemDetail p = problem(HttpStatus.PRECONDITION_FAILED, "record-changed", "The record changed since it was read",
                e.getMessage());
        p.setProperty("currentStatus", e.current().name());
        p.setProperty("updatedAt", e.changedAt().toString());
        if (e.latest() != null) {
            p.setProperty("latestEntry", Map.of("action", e.latest().action(), "actor", e.latest().actor(),
                    "unit", e.latest().unit().value(), "at", e.latest().at().toString()));
        }
        return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED)
                .eTag(RecordVersions.etag(e.changedAt()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @ExceptionHandler(InvalidCommandException.class)
    public ProblemDetail invalidCommand(InvalidCommandException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-command", "The action cannot be done as asked",
                e.getMessage());
        p.setProperty("field", e.field());
        return p;
    }

    @ExceptionHandler(InvalidRequestException.class)
    public ProblemDetail invalidRequest(InvalidRequestException e) {
        ProblemDetail p = e.malformed()
                ? problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", e.getMessage())
                : problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-request", "The request names something that does not fit",
                e.getMessage());
        p.setProperty("field", e.field());
        return p;
    }

    @ExceptionHandler(AccessRefusedException.class)
    public ProblemDetail accessRefused(AccessRefusedException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "Outside your jurisdiction or role", e.getMessage());
    }

    @ExceptionHandler(UnknownUnitException.class)
    public ProblemDetail unknownUnit(UnknownUnitException e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-unit", "Unknown unit", e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    public ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(UnknownCaseException.class)
    public ProblemDetail unknownCase(UnknownCaseException e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-case", "Unknown case", e.getMessage());
    }

    /**
     * A transient database failure (a transaction ended to settle a conflict with another one: a deadlock, a
     * serialization failure; a timeout): what it had not committed was rolled back, and the same request may well
     * succeed at once; 503 with Retry-After instead of a 500. Any other database failure stays a server error (logged;
     * its SQL is not shown).
     */
    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<ProblemDetail> dataAccess(DataAccessException e) {
        R2dbcTransientException conflict = cause(e, R2dbcTransientException.class);
        if (conflict == null) {
            log.error("a database failure ended a request", e);
            return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "server-error", "Server error",
                            "the request failed on the server's side; its operators can find why in the node's log"));
        }
        ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, "try-again", "Try again",
                "the database ended this request's work before it finished (" + (conflict.getSqlState() == null
                        ? "" : "SQLSTATE " + conflict.getSqlState() + ": ") + "a conflict with another request at the"
                        + " same moment, or a timeout); what it had not committed was rolled back; send it again");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          ServerWebExchange exchange) {
        List<Map<String, Object>> errors = ex.getFieldErrors().stream()
                .map(f -> Map.<String, Object>of("field", f.getField(),
                        "message", f.getDefaultMessage() == null ? "invalid" : f.getDefaultMessage()))
                .toList();
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "validation", "The request body is not valid",
                errors.stream().map(m -> m.get("field") + ": " + m.get("message")).reduce((a, b) -> a + "; " + b)
                        .orElse("invalid body"));
        p.setProperty("errors", errors);
        return Mono.just(ResponseEntity.badRequest().body(p));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex, HttpHeaders headers,
                                                                         HttpStatusCode status,
                                                                         ServerWebExchange exchange) {
        if (causedBy(ex, DataBufferLimitException.class)) {
            return Mono.just(ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Request body too large",
                            "the request body is larger than this API accepts")));
        }
        UnrecognizedPropertyException unknownField = cause(ex, UnrecognizedPropertyException.class);
        if (unknownField != null) {
            ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "unknown-field", "Unknown field in the request body",
                    "the request body has a field '" + unknownField.getPropertyName() + "' that this API does not take;"
                            + " who acts, the unit and the status are never taken from a body");
            p.setProperty("field", unknownField.getPropertyName());
            return Mono.just(ResponseEntity.badRequest().body(p));
        }
        String detail = causedBy(ex, DecodingException.class)
                ? "the request body is not valid JSON of the expected shape: " + rootMessage(ex)
                : ex.getReason();
        return Mono.just(ResponseEntity.badRequest()
                .body(problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail)));
    }

    /** A path no endpoint of this node answers (WebFlux's own 404 before any handler ran), named in the answer. */
    @Override
    protected Mono<ResponseEntity<Object>> handleResponseStatusException(ResponseStatusException ex,
                                                                         HttpHeaders headers, HttpStatusCode status,
                                                                         ServerWebExchange exchange) {
        if (status.value() != HttpStatus.NOT_FOUND.value()) {
            return super.handleResponseStatusException(ex, headers, status, exchange);
        }
        return Mono.just(ResponseEntity.status(HttpStatus.NOT_FOUND).headers(headers)
                .body(problem(HttpStatus.NOT_FOUND, NO_SUCH_RESOURCE, NO_SUCH_RESOURCE_TITLE,
                        noSuchResource(exchange))));
    }

    /** What a 404 for a path no endpoint answers says, here and in {@link ProblemErrorHandler}. */
    static String noSuchResource(ServerWebExchange exchange) {
        return "this node has no API resource at " + exchange.getRequest().getMethod() + " "
                + exchange.getRequest().getPath().value();
    }

    /** A problem of type {@code urn:gridlink:problem:<type>}: for the answers a controller of its own maps. */
    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(TYPE_BASE.resolve(TYPE_BASE + type));
        p.setTitle(title);
        return p;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        int cut = m.indexOf('\n');
        return cut > 0 ? m.substring(0, cut) : m;
    }
}

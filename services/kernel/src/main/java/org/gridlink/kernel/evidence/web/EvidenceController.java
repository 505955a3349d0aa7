package org.gridlink.kernel.evidence.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.evidence.ContentSniffer;
import org.gridlink.kernel.evidence.EvidenceRef;
import org.gridlink.kernel.evidence.EvidenceStage;
import org.gridlink.kernel.evidence.application.EvidenceHandling;
import org.gridlink.kernel.evidence.application.EvidenceProperties;
import org.gridlink.kernel.support.web.ApiProblems;
import org.gridlink.kernel.support.web.IdempotencyKeys;
import org.gridlink.kernel.support.web.Ids;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Evidence on a unit's record (处置前后照片): upload a BEFORE or AFTER photo or a PDF, list what the record knows of
 * (also files held by other units along the chain, with the unit that holds each), download a file held here.
 */
@RestController
@RequestMapping("/api/units/{code}/cases/{caseId}/evidence")
@Tag(name = "cases")
public class EvidenceController {

    private static final Set<String> PARTS = Set.of("file", "stage");

    private final EvidenceHandling evidence;
    private final long maxBytes;

    public EvidenceController(EvidenceHandling evidence, EvidenceProperties props) {
        this.evidence = evidence;
        this.maxBytes = props.maxSize().toBytes();
    }

    /** The multipart form of an upload, for the API description. */
    @Schema(name = "EvidenceUpload")
    public record UploadForm(
            @Schema(description = "the photo (JPEG, PNG) or document (PDF); its bytes decide its type",
                    type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED) String file,
            @Schema(description = "taken before or after the work", allowableValues = {"BEFORE", "AFTER"},
                    requiredMode = Schema.RequiredMode.REQUIRED) String stage) {
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(operationId = "uploadEvidence", summary = "Add a photo or document to a unit's record",
            description = "A multipart form with the parts file and stage (BEFORE or AFTER), nothing else. The file is"
                    + " kept in this unit's node; its type is read from its bytes (JPEG, PNG or PDF), and a photo's EXIF"
                    + " position and time are kept. The record's timeline gets an EVIDENCE entry, which travels along the"
                    + " chain, so every unit's record lists the file with the unit that holds it.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class))))
    @ApiResponse(responseCode = "201", description = "The evidence as the record lists it; Location is where to fetch it.")
    @ApiResponse(responseCode = "400", description = "A missing or unknown part, an unknown stage, a malformed unit code"
            + " or case id.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The person may not act on this record.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or the unit holds no record of the case.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "The record is finished (CLOSED or REJECTED).", content = @Content)
    @ApiResponse(responseCode = "413", description = "The file is larger than gridlink.evidence.max-size.",
            content = @Content)
    @ApiResponse(responseCode = "415", description = "The file is not a JPEG, PNG or PDF, or not what its declared type"
            + " says.", content = @Content)
    @ApiResponse(responseCode = "422", description = "The file is empty, or an Idempotency-Key this person already"
            + " used on this record for a different file or stage.", content = @Content)
    public Mono<ResponseEntity<EvidenceRef>> upload(@PathVariable String code, @PathVariable String caseId,
                                                    @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION)
                                                    @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                                    String idempotencyKey,
                                                    @Parameter(hidden = true) ServerWebExchange exchange,
                                                    @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            UUID id = parseId("caseId", caseId);
            String key = IdempotencyKeys.parse(idempotencyKey);
            return exchange.getMultipartData().flatMap(parts -> {
                for (String name : parts.keySet()) {
                    if (!PARTS.contains(name)) {
                        throw InvalidRequestException.malformed(name, "the form has a part '" + name
                                + "' that this API does not take; it takes file and stage");
                    }
                }
                if (parts.get("file") == null || parts.get("file").size() != 1
                        || !(parts.getFirst("file") instanceof FilePart file)) {
                    throw InvalidRequestException.malformed("file", "the form needs exactly one part 'file' with the file");
                }
                if (parts.get("stage") == null || parts.get("stage").size() != 1
                        || !(parts.getFirst("stage") instanceof FormFieldPart stagePart)) {
                    throw InvalidRequestException.malformed("stage", "the form needs a field 'stage': BEFORE or AFTER");
                }
                EvidenceStage stage = EvidenceStage.parse(stagePart.value()).orElseThrow(() ->
                        InvalidRequestException.malformed("stage", "stage is BEFORE or AFTER, not '" + stagePart.value() + "'"));
                MediaType declared = file.headers().getContentType();
                return DataBufferUtils.join(file.content(), (int) Math.min(Integer.MAX_VALUE - 8, maxBytes))
                        .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
                        .map(buffer -> {
                            byte[] bytes = new byte[buffer.readableByteCount()];
                            buffer.read(bytes);
                            DataBufferUtils.release(buffer);
                            return bytes;
                        })
                        .defaultIfEmpty(new byte[0])
                        .flatMap(bytes -> {
                            if (bytes.length == 0) {
                                throw InvalidRequestException.unprocessable("file", "the file is empty");
                            }
                            return evidence.upload(code, id, stage, key, file.filename(),
                                    declared == null ? null : declared.toString(), bytes, person);
                        });
            }).map(ref -> ResponseEntity.created(URI.create(ref.href())).body(ref));
        });
    }

    static final String IDEMPOTENCY_KEY_DESCRIPTION = "Optional; " + IdempotencyKeys.SYNTAX + ". An upload sent again"
            + " with the same key by the same person to the same record (a client that did not get the first answer)"
            + " gets the evidence the first one kept, not a second; the same key with another file or stage is 422.";

    @GetMapping
    @Operation(operationId = "listEvidence", summary = "List the evidence of a unit's record",
            description = "Every file the record's timeline knows of, in the order they were added, each with the unit"
                    + " that holds it and where to fetch it (href, at that unit); then, for whoever may read the"
                    + " unit's queue, the files of the reports merged into the case (mergedFrom: the merged case, whose"
                    + " record href names).")
    @ApiResponse(responseCode = "200", description = "The evidence.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or case id.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or the unit holds no record of the case.",
            content = @Content)
    public Mono<List<EvidenceRef>> list(@PathVariable String code, @PathVariable String caseId,
                                        @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> evidence.list(code, parseId("caseId", caseId), person));
    }

    @GetMapping("/{evidenceId}")
    @Operation(operationId = "downloadEvidence", summary = "Download a file held by this unit",
            description = "The file's bytes with its type and name (Content-Disposition). Whoever may read the unit's"
                    + " record may fetch it: the people of the unit and of every unit above it; a citizen, their own"
                    + " report's.")
    @ApiResponse(responseCode = "200", description = "The file.", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "A malformed unit code, case id or evidence id.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or the unit holds no such record or"
            + " file.", content = @Content)
    public Mono<ResponseEntity<byte[]>> download(@PathVariable String code, @PathVariable String caseId,
                                                 @PathVariable String evidenceId,
                                                 @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> evidence.download(code, parseId("caseId", caseId), parseId("evidenceId", evidenceId), person)
                .map(c -> ResponseEntity.ok()
                        .contentType(MediaType.parseMediaType(c.evidence().contentType()))
                        .contentLength(c.bytes().length)
                        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                .filename(c.evidence().fileName(), StandardCharsets.UTF_8).build().toString())
                        .header("X-Content-Type-Options", "nosniff")
                        .eTag("\"" + c.evidence().sha256() + "\"")
                        .body(c.bytes())));
    }

    @ExceptionHandler(ContentSniffer.UnsupportedContentException.class)
    ProblemDetail unsupported(ContentSniffer.UnsupportedContentException e) {
        ProblemDetail p = ApiProblems.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-content",
                "Not a file this API keeps", e.getMessage());
        p.setProperty("field", "file");
        return p;
    }

    @ExceptionHandler(EvidenceHandling.EvidenceRefusedException.class)
    ProblemDetail refused(EvidenceHandling.EvidenceRefusedException e) {
        return ApiProblems.problem(HttpStatus.CONFLICT, "evidence-refused", "The record takes no evidence now",
                e.getMessage());
    }

    @ExceptionHandler(FileTooLargeException.class)
    ProblemDetail tooLarge(FileTooLargeException e) {
        ProblemDetail p = ApiProblems.problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "File too large", e.getMessage());
        p.setProperty("field", "file");
        return p;
    }

    private FileTooLargeException tooLarge() {
        return new FileTooLargeException("the file is larger than " + maxBytes + " bytes, the most this API keeps"
                + " (gridlink.evidence.max-size)");
    }

    static final class FileTooLargeException extends RuntimeException {
        FileTooLargeException(String message) {
            super(message);
        }
    }

    private static UUID parseId(String field, String id) {
        return Ids.parse(field, id, "an id");
    }
}

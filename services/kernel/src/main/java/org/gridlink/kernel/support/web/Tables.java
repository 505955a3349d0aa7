package org.gridlink.kernel.support.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Answers that a city office opens in a spreadsheet: a view as JSON, or its table (rows of text, the first the header,
 * in Chinese) as CSV (UTF-8 with a BOM, no formulas from data) or as an XLSX workbook ({@link Workbooks}), as asked by
 * {@code ?format=json|csv|xlsx} or the {@code Accept} header.
 */
public final class Tables {

    public static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    /** Spelled out here (not taken from POI) so that no answer but a workbook loads POI. */
    public static final String XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final String BOM = "\uFEFF";

    /** What an answer is written as. */
    public enum Format { JSON, CSV, XLSX }

    private Tables() {
    }

    /** The format a request asks for: {@code format} if given (else a 400 naming it), else by {@code Accept}. */
    public static Format format(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> Format.CSV;
                case "xlsx" -> Format.XLSX;
                case "json" -> Format.JSON;
                default -> throw InvalidRequestException.malformed("format", "format '" + format
                        + "' is not json, csv or xlsx");
            };
        }
        if (accept != null && accept.contains(XLSX_MEDIA_TYPE)) {
            return Format.XLSX;
        }
        return accept != null && accept.contains("text/csv") ? Format.CSV : Format.JSON;
    }

    /**
     * The view as JSON, or its table as CSV or XLSX, a download named {@code name}; {@code textColumns}: the columns a
     * workbook keeps as text although they look like numbers. The workbook is written off the event loop.
     */
    public static Mono<ResponseEntity<Object>> respond(Format format, Object view, Supplier<List<List<String>>> table,
                                                       String name, String sheet, Set<String> textColumns) {
        return switch (format) {
            case JSON -> Mono.just(ResponseEntity.ok().body(view));
            case CSV -> Mono.fromSupplier(() -> ResponseEntity.ok().contentType(TEXT_CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"")
                    .body((Object) csv(table.get())));
            case XLSX -> Mono.fromCallable(() -> Workbooks.workbook(sheet, table.get(), textColumns))
                    .subscribeOn(Schedulers.boundedElastic())
                    .map(bytes -> ResponseEntity.ok().contentType(MediaType.parseMediaType(XLSX_MEDIA_TYPE))
                            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".xlsx\"")
                            .body((Object) bytes));
        };
    }

    /** The header of a ledger cut at its most rows: it names how many it kept. */
    public static final String TRUNCATED = "Gridlink-Export-Truncated";

    /** The answer marked as a ledger cut after {@code kept} rows ({@link #TRUNCATED}). */
    public static ResponseEntity<Object> truncated(ResponseEntity<Object> answer, int kept) {
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(TRUNCATED, Integer.toString(kept)).body(answer.getBody());
    }

    /**
     * Writes a CSV table to the response as its rows come, a batch at a time, never holding it whole: a ledger of any
     * length, downloaded as it is read: the BOM and the {@code header} first, then each batch of rows. Completes when
     * the last row is written; an error after the header ends the download unfinished (the status was sent with it).
     */
    public static Mono<Void> streamCsv(ServerHttpResponse response, String name, List<String> header,
                                       Flux<List<List<String>>> batches) {
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(TEXT_CSV);
        response.getHeaders().set(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"");
        DataBufferFactory buffers = response.bufferFactory();
        return response.writeWith(Flux.concat(Mono.just(csv(List.of(header))), batches.map(Tables::rows))
                .map(text -> buffers.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** The rows as CSV: UTF-8 with a BOM (for Excel), CRLF, a value that would start a formula kept as text. */
    public static String csv(List<List<String>> rows) {
        return BOM + rows(rows);
    }

    /** The rows as CSV lines, without the BOM. */
    private static String rows(List<List<String>> rows) {
        StringBuilder s = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                s.append(quote(row.get(i)));
            }
            s.append("\r\n");
        }
        return s.toString();
    }

    private static String quote(String v) {
        if (v == null) {
            return "";
        }
        boolean needs = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        String safe = v;
        if (!safe.isEmpty() && "=+-@".indexOf(safe.charAt(0)) >= 0 && !safe.matches("-?[0-9.]+")) {
            safe = "'" + safe; // no formulas from data into a spreadsheet
        }
        return needs ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }
}

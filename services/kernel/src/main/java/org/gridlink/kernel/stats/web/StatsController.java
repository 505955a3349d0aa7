package org.gridlink.kernel.stats.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.stats.Assessment;
import org.gridlink.kernel.stats.AssessmentRules;
import org.gridlink.kernel.stats.Figures;
import org.gridlink.kernel.stats.Rollups;
import org.gridlink.kernel.stats.UnitReport;
import org.gridlink.kernel.support.web.Days;
import org.gridlink.kernel.support.web.Tables;
import org.gridlink.kernel.support.web.Tables.Format;
import org.gridlink.kernel.units.GridCell;
import org.gridlink.kernel.units.Unit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The figures of a unit's subtree and of each child (built only from what the children reported), their daily
 * series, and the assessment of the children (or, at a community, of its grid cells). Readable by whoever may read
 * the unit's queue; CSV or XLSX on request ({@code ?format=csv|xlsx}, or {@code Accept: text/csv} or the XLSX type).
 */
@RestController
@Tag(name = "stats")
public class StatsController {

    private static final int DEFAULT_DAYS = 30;

    private final Rollups rollups;
    private final AssessmentRules rules;

    public StatsController(Rollups rollups, AssessmentRules rules) {
        this.rollups = rollups;
        this.rules = rules;
    }

    public record FiguresView(Map<String, Long> counts, Map<String, Double> rates) {

        static FiguresView of(Map<String, Long> counts) {
            return of(counts, null, 0);
        }

        /**
         * The counts and their rates; with the grid cells the figures cover now ({@code current}) and the days they
         * span, also 巡查覆盖率 ({@link Figures#patrolCoverage}).
         */
        static FiguresView of(Map<String, Long> counts, Map<String, Long> current, long days) {
            return new FiguresView(counts, Figures.rates(counts, current, days));
        }
    }

    public record ChildView(String code, String name, Instant reportedAt, boolean stale, Long ageSeconds,
                            FiguresView figures, Map<String, Long> current) {
    }

    public record StatsView(String unit, String name, LocalDate from, LocalDate to, Instant asOf, FiguresView figures,
                            Map<String, Long> current, FiguresView own, List<ChildView> children) {
    }

    public record TrendDay(LocalDate date, Map<String, Long> counts) {
    }

    public record TrendView(String unit, LocalDate from, LocalDate to, List<TrendDay> days) {
    }

    public record AssessmentView(String unit, String period, LocalDate from, LocalDate to, String entrants,
                                 String formula, String tieRule, String bandRule, List<Assessment.Ranked> ranking) {
    }

    @GetMapping("/api/units/{code}/stats")
    @Operation(operationId = "readStats", summary = "Read a unit's figures",
            description = "The figures of the unit's subtree for the days from..to (inclusive, default the last 30 days):"
                    + " the unit's own plus each child's latest report; and each child's figures with when it reported."
                    + " A child whose report is older than gridlink.stats.stale-after is stale: its last figures still"
                    + " count, with their age. counts are summed per day; current counts are as of now. See docs/stats.md.")
    @ApiResponse(responseCode = "200", description = "The figures (JSON, or CSV or XLSX with Chinese column headers).")
    @ApiResponse(responseCode = "400", description = "A malformed unit code, date or format, or from after to.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Outside the person's jurisdiction, or a citizen.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<ResponseEntity<Object>> stats(@PathVariable String code,
                                              @Parameter(description = "first day, YYYY-MM-DD") @RequestParam(required = false) String from,
                                              @Parameter(description = "last day, YYYY-MM-DD") @RequestParam(required = false) String to,
                                              @Parameter(description = "json (default), csv or xlsx") @RequestParam(required = false) String format,
                                              @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                              @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Unit unit = readable(code, person);
            Instant now = rollups.now();
            LocalDate[] range = range(from, to, now);
            Format wanted = Tables.format(format, accept);
            return rollups.subtree(unit, now).flatMap(s -> {
                List<ChildView> children = new ArrayList<>();
                for (Rollups.ChildRollup c : s.children()) {
                    UnitReport r = c.report();
                    children.add(new ChildView(c.unit().code().value(), c.unit().name(), r == null ? null : r.reportedAt(),
                            c.stale(), c.ageSeconds(),
                            r == null ? null : FiguresView.of(r.subtree().between(range[0], range[1]),
                                    r.subtree().current(), days(range)),
                            r == null ? null : r.subtree().current()));
                }
                StatsView view = new StatsView(unit.code().value(), unit.name(), range[0], range[1], s.asOf(),
                        FiguresView.of(s.subtree().between(range[0], range[1]), s.subtree().current(), days(range)),
                        s.subtree().current(),
                        FiguresView.of(s.own().between(range[0], range[1]), s.own().current(), days(range)), children);
                return respond(wanted, view, () -> Exports.statsTable(view), "stats-" + code, "统计");
            });
        });
    }

    @GetMapping("/api/units/{code}/stats/trend")
    @Operation(operationId = "readStatsTrend", summary = "Read a unit's daily figures",
            description = "The subtree's counts day by day from..to (inclusive, default the last 30 days), for charts.")
    @ApiResponse(responseCode = "200", description = "One entry per day.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or date, or from after to.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Outside the person's jurisdiction, or a citizen.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<TrendView> trend(@PathVariable String code,
                                 @Parameter(description = "first day, YYYY-MM-DD") @RequestParam(required = false) String from,
                                 @Parameter(description = "last day, YYYY-MM-DD") @RequestParam(required = false) String to,
                                 @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Unit unit = readable(code, person);
            Instant now = rollups.now();
            LocalDate[] range = range(from, to, now);
            return rollups.subtree(unit, now).map(s -> {
                Map<LocalDate, Map<String, Long>> byDay = new TreeMap<>();
                s.subtree().days().forEach(d -> byDay.put(d.date(), d.counts()));
                List<TrendDay> days = new ArrayList<>();
                for (LocalDate d = range[0]; !d.isAfter(range[1]); d = d.plusDays(1)) {
                    days.add(new TrendDay(d, byDay.getOrDefault(d, Map.of())));
                }
                return new TrendView(unit.code().value(), range[0], range[1], days);
            });
        });
    }

    @GetMapping("/api/units/{code}/assessment")
    @Operation(operationId = "readAssessment", summary = "Assess a unit's children for a month",
            description = "Each child unit (at a community: each grid cell) scored from its figures of the month with"
                    + " the weights of the seeds' assessment.json, ranked, with its band (commended, normal, warned) and"
                    + " the terms of its score. Ties and bands follow the rules stated in the answer (docs/stats.md).")
    @ApiResponse(responseCode = "200", description = "The ranking (JSON, or CSV or XLSX with Chinese column headers).")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or period (YYYY-MM).", content = @Content)
    @ApiResponse(responseCode = "403", description = "Outside the person's jurisdiction, or a citizen.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<ResponseEntity<Object>> assessment(@PathVariable String code,
                                                   @Parameter(description = "the month, YYYY-MM (default this month)") @RequestParam(required = false) String period,
                                                   @Parameter(description = "json (default), csv or xlsx") @RequestParam(required = false) String format,
                                                   @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                                   @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Unit unit = readable(code, person);
            Instant now = rollups.now();
            YearMonth month = month(period, now);
            LocalDate from = month.atDay(1);
            LocalDate to = month.atEndOfMonth();
            Format wanted = Tables.format(format, accept);
            Mono<List<Assessment.Entrant>> entrants;
            String kind;
            List<GridCell> cells = rollups.node().directory().gridCells(unit.code());
            if (rollups.node().directory().children(unit.code()).isEmpty()) {
                kind = "gridCells";
                entrants = Flux.fromIterable(cells).concatMap(c -> rollups.gridCell(unit, c.code(), from, now)
                        .map(s -> new Assessment.Entrant(c.code(), c.name(), s.between(from, to), s.current(),
                                month.lengthOfMonth()))).collectList();
            } else {
                kind = "children";
                entrants = rollups.subtree(unit, now).map(s -> s.children().stream()
                        .map(c -> c.report() == null
                                ? new Assessment.Entrant(c.unit().code().value(), c.unit().name(), new TreeMap<>())
                                : new Assessment.Entrant(c.unit().code().value(), c.unit().name(),
                                c.report().subtree().between(from, to), c.report().subtree().current(),
                                month.lengthOfMonth()))
                        .toList());
            }
            return entrants.flatMap(list -> {
                AssessmentView view = new AssessmentView(unit.code().value(), month.toString(), from, to, kind,
                        rules.formula(),
                        "ties: the higher score first, then the higher on-time rate (no data lowest), then the lower code",
                        "top ⌈n × " + rules.commendedShare() + "⌉ of the n ranked COMMENDED, bottom ⌈n × "
                                + rules.warnedShare() + "⌉ WARNED (at most half each, none with fewer than 2);"
                                + " an entrant with no cases and no patrols in the month is NO_DATA and not ranked",
                        Assessment.rank(list, rules));
                return respond(wanted, view, () -> Exports.assessmentTable(view), "assessment-" + code + "-" + month, "考核");
            });
        });
    }

    private Unit readable(String code, Person person) {
        Unit unit = rollups.node().requireServed(code);
        Jurisdiction.checkQueue(person, unit.code());
        return unit;
    }

    private LocalDate[] range(String from, String to, Instant now) {
        LocalDate askedTo = Days.parse("to", to);
        LocalDate askedFrom = Days.parse("from", from);
        LocalDate last = askedTo == null ? rollups.today(now) : askedTo;
        LocalDate first = askedFrom == null ? last.minusDays(DEFAULT_DAYS - 1L) : askedFrom;
        if (first.isAfter(last)) {
            throw InvalidRequestException.malformed("from", "from (" + first + ") is after to (" + last + ")");
        }
        LocalDate earliest = rollups.firstDay(now);
        if (first.isBefore(earliest)) {
            throw InvalidRequestException.malformed("from", "figures are kept for " + rollups.settings().windowDays()
                    + " days: from must be " + earliest + " or later");
        }
        return new LocalDate[] {first, last};
    }

    private YearMonth month(String period, Instant now) {
        if (period == null || period.isBlank()) {
            return YearMonth.from(rollups.today(now));
        }
        YearMonth month;
        try {
            month = YearMonth.parse(period.trim());
        } catch (DateTimeParseException e) {
            throw InvalidRequestException.malformed("period", "period '" + period + "' is not a month of the form YYYY-MM");
        }
        if (month.atEndOfMonth().isBefore(rollups.firstDay(now))) {
            throw InvalidRequestException.malformed("period", "figures are kept for " + rollups.settings().windowDays()
                    + " days: " + month + " is too long ago");
        }
        return month;
    }

    /** How a table is answered: JSON, or exported for a city office. */
    private static Mono<ResponseEntity<Object>> respond(Format format, Object view, Supplier<List<List<String>>> table,
                                                        String name, String sheet) {
        return Tables.respond(format, view, table, name, sheet, Exports.TEXT_COLUMNS);
    }

    static SortedMap<String, Long> sorted(Map<String, Long> m) {
        return new TreeMap<>(m);
    }

    /** The days from..to spans, both included. */
    private static long days(LocalDate[] range) {
        return ChronoUnit.DAYS.between(range[0], range[1]) + 1;
    }
}

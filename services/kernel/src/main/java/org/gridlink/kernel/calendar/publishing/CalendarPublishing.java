package org.gridlink.kernel.calendar.publishing;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.calendar.Holiday;
import org.gridlink.kernel.calendar.HolidayNotice;
import org.gridlink.kernel.calendar.MakeUpWorkingDay;
import org.gridlink.kernel.calendar.WorkingCalendar;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.support.events.EventTracing;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.units.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The working calendar's years as the city publishes them (日历发布): the State Council's notice of next year's public
 * holidays comes out in November or December, after the seeds were written. The city's administrator publishes it
 * ({@link #publish}): the city's node keeps it and writes {@code gridlink.calendar.published.v1} to the outbox in one
 * transaction; every other node keeps it as it arrives ({@link #apply}, only a newer revision of the year). Each node
 * uses the seeds' calendar with the years kept in its database in place of the seeds' listing of those years
 * ({@link #refresh}: at start, after each publication it keeps, and every {@code gridlink.calendar.refresh-interval},
 * so that every replica of a node takes up what one of them kept). A due time computed before stays as computed.
 */
public class CalendarPublishing implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(CalendarPublishing.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Comparator<Holiday> BY_FROM = Comparator.comparing(Holiday::from);
    private static final Comparator<MakeUpWorkingDay> BY_DATE = Comparator.comparing(MakeUpWorkingDay::date);

    private final NodeUnits node;
    private final CalendarStore store;
    private final CalendarEvents events;
    private final OutboxWriter outbox;
    private final TransactionalOperator tx;
    private final EventTracing tracing;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String city;
    /** The calendar in use on this node and the years published it uses, set together: a read sees both or neither. */
    private final AtomicReference<InUse> inUse = new AtomicReference<>();

    public CalendarPublishing(NodeUnits node, CalendarStore store, CalendarEvents events, OutboxWriter outbox,
                              TransactionalOperator tx, EventTracing tracing, Clock clock, MeterRegistry meters) {
        this.node = node;
        this.store = store;
        this.events = events;
        this.outbox = outbox;
        this.tx = tx;
        this.tracing = tracing;
        this.clock = clock;
        this.meters = meters;
        this.city = cityOf(node);
        this.inUse.set(new InUse(node.directory().calendar(), Map.of()));
    }

    static String cityOf(NodeUnits node) {
        return node.directory().ofTier(Tier.CITY).stream().findFirst().map(u -> u.code().value())
                .orElseThrow(() -> new IllegalStateException("the seeds have no city"));
    }

    /** The calendar in use, with the years published (and by whom) that it uses. */
    public record InUse(WorkingCalendar calendar, Map<Integer, CalendarEvents.Published> published) {
    }

    public InUse inUse() {
        return inUse.get();
    }

    /**
     * Publishes {@code notice} as the working calendar's year for the whole city: by an administrator of the city, at
     * the city, for this year or the next. The same notice again (an answer lost) answers the publication kept and
     * sends nothing; another one is the year's next revision.
     */
    public Mono<CalendarEvents.Published> publish(String code, HolidayNotice notice, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkPublishCalendar(person);
            if (unit.code().tier() != Tier.CITY) {
                throw InvalidRequestException.unprocessable("code", "the working calendar is the city's: publish it at"
                        + " /api/units/" + city + "/calendar/" + notice.year() + ", not at " + unit.code().tier().id()
                        + " " + code);
            }
            int thisYear = LocalDate.now(clock.withZone(node.directory().calendar().zone())).getYear();
            if (notice.year() != thisYear && notice.year() != thisYear + 1) {
                throw InvalidRequestException.unprocessable("year", "a year's public holidays are published in the"
                        + " year before it or during it: " + thisYear + " or " + (thisYear + 1) + ", not "
                        + notice.year() + " (a time limit computed on a year past stays as it was computed)");
            }
            HolidayNotice sorted = new HolidayNotice(notice.year(), notice.source(),
                    notice.holidays().stream().sorted(BY_FROM).toList(),
                    notice.workingDays().stream().sorted(BY_DATE).toList());
            try {
                node.directory().calendar().withYear(sorted);
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.unprocessable("holidays", e.getMessage());
            }
            Instant now = clock.instant();
            Mono<CalendarEvents.Published> work = store.lock(sorted.year()).map(Optional::of)
                    .defaultIfEmpty(Optional.empty()).flatMap(kept -> {
                        if (kept.isPresent() && same(kept.get(), sorted)) {
                            return Mono.just(kept.get());
                        }
                        CalendarEvents.Published p = new CalendarEvents.Published(city, sorted.year(),
                                kept.map(k -> k.revision() + 1).orElse(1), sorted.source(), sorted.holidays(),
                                sorted.workingDays(), person.username(), now);
                        return store.keepIfNewer(p).then(Mono.deferContextual(context -> outbox.appendAll(
                                List.of(tracing.stamped(events.published(p), context)), CalendarEvents.TOPIC)))
                                .then(Mono.fromRunnable(() -> meters.counter("gridlink.calendar.published").increment()))
                                .thenReturn(p);
                    });
            return tx.transactional(work).flatMap(p -> refresh().thenReturn(p));
        });
    }

    private static boolean same(CalendarEvents.Published kept, HolidayNotice notice) {
        return Objects.equals(kept.source(), notice.source()) && kept.holidays().equals(notice.holidays())
                && kept.workingDays().equals(notice.workingDays());
    }

    /** A publication the city sent: kept when newer than the year's kept here, then put in use. */
    public Mono<Boolean> apply(CalendarEvents.Published p) {
        return store.keepIfNewer(p).flatMap(kept -> {
            meters.counter("gridlink.calendar.received", "kept", kept.toString()).increment();
            return kept ? refresh().thenReturn(true) : Mono.just(false);
        });
    }

    /**
     * Puts the calendar in use here in the unit directory too, where the due times read it. Another refresh may
     * replace it between the read and the write: the directory is then set again, so that it ends on the latest.
     */
    private void useInDirectory() {
        InUse used;
        do {
            used = inUse.get();
            node.directory().use(used.calendar());
        } while (inUse.get() != used);
    }

    /**
     * Puts the seeds' calendar with the years kept in this node's database in use, when they are not the ones in use
     * already. Years that do not fit it (the seeds' weekend changed since, say) leave the calendar in use as it was,
     * said in the log.
     */
    public Mono<Void> refresh() {
        return store.all().collectMap(CalendarEvents.Published::year).doOnNext(kept -> {
            // refreshes run at once (two publications' commits): one that read the years before another's commit
            // must not put them in use after the other put the newer ones
            InUse current = inUse.get();
            while (!revisions(kept).equals(revisions(current.published())) && !older(kept, current.published())) {
                InUse next;
                try {
                    next = new InUse(node.directory().withPublished(kept.values().stream()
                            .map(CalendarEvents.Published::notice).toList()), Map.copyOf(kept));
                } catch (IllegalArgumentException e) {
                    log.error("working calendar: the years the city published {} do not fit the seeds' calendar, which"
                            + " stays in use with {}: {}", revisions(kept), revisions(current.published()),
                            e.getMessage());
                    return;
                }
                if (inUse.compareAndSet(current, next)) {
                    useInDirectory();
                    log.info("working calendar: the seeds' with the years the city published {}", revisions(kept));
                    return;
                }
                current = inUse.get();
            }
        }).then();
    }

    /** Whether {@code kept} lacks a year in use, or holds one at a lower revision than in use: read before a commit. */
    private static boolean older(Map<Integer, CalendarEvents.Published> kept,
                                 Map<Integer, CalendarEvents.Published> used) {
        return used.values().stream().anyMatch(u -> !kept.containsKey(u.year())
                || kept.get(u.year()).revision() < u.revision());
    }

    private static Map<Integer, Integer> revisions(Map<Integer, CalendarEvents.Published> published) {
        return published.values().stream().collect(Collectors.toMap(CalendarEvents.Published::year,
                CalendarEvents.Published::revision));
    }

    /** At start, before the node takes requests: the years kept here in use (a database not there yet: the next refresh). */
    @Override
    public void afterSingletonsInstantiated() {
        try {
            refresh().block(LOAD_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("working calendar: could not read the years the city published ({}); the seeds' calendar is in"
                    + " use until the next refresh", e.getMessage());
        }
    }

    @Scheduled(initialDelayString = "${gridlink.calendar.refresh-interval:30s}",
            fixedDelayString = "${gridlink.calendar.refresh-interval:30s}")
    public void refreshNow() {
        try {
            refresh().block(LOAD_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("working calendar: could not read the years the city published: {}", e.getMessage());
        }
    }
}

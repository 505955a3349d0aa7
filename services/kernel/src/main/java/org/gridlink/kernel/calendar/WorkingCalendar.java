package org.gridlink.kernel.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The city's working calendar: office hours on working days in one time zone, weekends, and for the years whose
 * State Council notice it carries, the public holidays and the make-up working days (调休上班) that move weekends.
 * <p>
 * A day is a working day when it is a make-up working day, or else when it is neither a holiday nor a weekend day.
 * Outside the covered years only weekends are days off: a city must add each year's notice to its seeds.
 * <p>
 * Working time is the time inside office hours on working days. All arithmetic is exact to the nanosecond.
 */
public final class WorkingCalendar {

    private final ZoneId zone;
    private final List<OfficePeriod> officeHours;
    private final Set<DayOfWeek> weekend;
    private final SortedSet<Integer> years;
    private final List<Holiday> holidays;
    private final List<MakeUpWorkingDay> makeUpWorkingDays;
    /** The holidays and make-up working days by the year they are listed under. */
    private final SortedMap<Integer, HolidayNotice> notices;
    private final Map<LocalDate, Holiday> holidayByDate = new HashMap<>();
    /** The make-up working days by date, and the holidays' dates that are not weekend days: sorted, for counting. */
    private final NavigableMap<LocalDate, MakeUpWorkingDay> makeUpByDate = new TreeMap<>();
    private final NavigableSet<LocalDate> holidaysOnWeekdays = new TreeSet<>();
    /**
     * Each day's working intervals as computed (the calendar does not change; a new one starts empty): a queue page
     * measures each record's deadline status on its first and last day, mostly today and the same few days ahead, and
     * computing them again was 6% of what a community node allocated per page (issue 8, a profile on the local
     * platform). At most {@link #INTERVALS_KEPT} days, then it starts again.
     */
    private final Map<LocalDate, List<WorkingInterval>> intervalsByDate = new ConcurrentHashMap<>();
    private static final int INTERVALS_KEPT = 4096;
    /** A whole working day's office hours, on a day the zone's offset does not change. */
    private final Duration wholeWorkingDay;

    public WorkingCalendar(ZoneId zone, List<OfficePeriod> officeHours, Set<DayOfWeek> weekend, Set<Integer> years,
                           List<Holiday> holidays, List<MakeUpWorkingDay> makeUpWorkingDays) {
        this(zone, officeHours, weekend, years, listed(years, holidays, makeUpWorkingDays));
    }

    /** The calendar of {@code notices}: the years it covers are theirs. */
    public WorkingCalendar(ZoneId zone, List<OfficePeriod> officeHours, Set<DayOfWeek> weekend,
                           List<HolidayNotice> notices) {
        this(zone, officeHours, weekend, notices.stream().map(HolidayNotice::year).collect(Collectors.toSet()),
                byYear(notices));
    }

    private WorkingCalendar(ZoneId zone, List<OfficePeriod> officeHours, Set<DayOfWeek> weekend, Set<Integer> years,
                            SortedMap<Integer, HolidayNotice> notices) {
        this.notices = Collections.unmodifiableSortedMap(notices);
        List<Holiday> holidays = notices.values().stream().flatMap(n -> n.holidays().stream()).toList();
        List<MakeUpWorkingDay> makeUpWorkingDays = notices.values().stream().flatMap(n -> n.workingDays().stream())
                .toList();
        this.zone = Objects.requireNonNull(zone, "zone");
        this.officeHours = officeHours.stream().sorted(Comparator.comparing(OfficePeriod::from)).toList();
        this.weekend = weekend.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(weekend));
        this.years = new TreeSet<>(years);
        this.holidays = holidays.stream().sorted(Comparator.comparing(Holiday::from)).toList();
        this.makeUpWorkingDays = makeUpWorkingDays.stream().sorted(Comparator.comparing(MakeUpWorkingDay::date)).toList();
        if (this.officeHours.isEmpty()) {
            throw new IllegalArgumentException("a working calendar needs office hours");
        }
        for (int i = 1; i < this.officeHours.size(); i++) {
            if (this.officeHours.get(i).from().isBefore(this.officeHours.get(i - 1).to())) {
                throw new IllegalArgumentException("office hours overlap: " + this.officeHours.get(i - 1) + " and "
                        + this.officeHours.get(i));
            }
        }
        if (this.weekend.size() >= DayOfWeek.values().length) {
            throw new IllegalArgumentException("a working calendar needs at least one working day in the week");
        }
        for (Holiday h : this.holidays) {
            for (LocalDate d = h.from(); !d.isAfter(h.to()); d = d.plusDays(1)) {
                Holiday previous = holidayByDate.put(d, h);
                if (previous != null) {
                    throw new IllegalArgumentException(d + " is in two holidays: " + previous.name() + " and " + h.name());
                }
            }
        }
        for (MakeUpWorkingDay w : this.makeUpWorkingDays) {
            if (!this.weekend.contains(w.date().getDayOfWeek())) {
                throw new IllegalArgumentException("make-up working day " + w.name() + " on " + w.date()
                        + " is a " + w.date().getDayOfWeek() + ", which is a working day anyway");
            }
            if (holidayByDate.containsKey(w.date())) {
                throw new IllegalArgumentException(w.date() + " is both a holiday (" + holidayByDate.get(w.date()).name()
                        + ") and a make-up working day");
            }
            if (makeUpByDate.put(w.date(), w) != null) {
                throw new IllegalArgumentException(w.date() + " is listed twice as a make-up working day");
            }
        }
        holidayByDate.keySet().stream().filter(d -> !this.weekend.contains(d.getDayOfWeek()))
                .forEach(holidaysOnWeekdays::add);
        this.wholeWorkingDay = this.officeHours.stream().map(p -> Duration.between(p.from(), p.to()))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static SortedMap<Integer, HolidayNotice> byYear(List<HolidayNotice> notices) {
        SortedMap<Integer, HolidayNotice> byYear = new TreeMap<>();
        for (HolidayNotice n : notices) {
            if (byYear.put(n.year(), n) != null) {
                throw new IllegalArgumentException("year " + n.year() + " is listed twice");
            }
        }
        return byYear;
    }

    /**
     * Flat lists of holidays and make-up working days by the year each is listed under: the year of its last day when
     * the calendar covers it, else of its first day when it covers that, else of its last day.
     */
    private static SortedMap<Integer, HolidayNotice> listed(Set<Integer> years, List<Holiday> holidays,
                                                            List<MakeUpWorkingDay> makeUpWorkingDays) {
        Map<Integer, List<Holiday>> h = new TreeMap<>();
        for (Holiday holiday : holidays) {
            int year = years.contains(holiday.to().getYear()) || !years.contains(holiday.from().getYear())
                    ? holiday.to().getYear() : holiday.from().getYear();
            h.computeIfAbsent(year, y -> new ArrayList<>()).add(holiday);
        }
        Map<Integer, List<MakeUpWorkingDay>> w = new TreeMap<>();
        makeUpWorkingDays.forEach(day -> w.computeIfAbsent(day.date().getYear(), y -> new ArrayList<>()).add(day));
        SortedMap<Integer, HolidayNotice> byYear = new TreeMap<>();
        Set<Integer> all = new TreeSet<>(years);
        all.addAll(h.keySet());
        all.addAll(w.keySet());
        all.forEach(year -> byYear.put(year, new HolidayNotice(year, null, h.getOrDefault(year, List.of()),
                w.getOrDefault(year, List.of()))));
        return byYear;
    }

    /**
     * This calendar with {@code notice} as its year's public holidays and make-up working days: what was listed under
     * that year before is replaced (a year's notice published after the seeds, or corrected). Refused as the
     * constructor refuses a calendar (a make-up working day that is not a weekend day, a day in two holidays, ...).
     */
    public WorkingCalendar withYear(HolidayNotice notice) {
        SortedMap<Integer, HolidayNotice> next = new TreeMap<>(notices);
        next.put(notice.year(), notice);
        Set<Integer> covered = new TreeSet<>(years);
        covered.add(notice.year());
        return new WorkingCalendar(zone, officeHours, weekend, covered, next);
    }

    /** The public holidays and make-up working days by the year they are listed under (a year's notice). */
    public SortedMap<Integer, HolidayNotice> notices() {
        return notices;
    }

    /** Office hours on Monday to Friday with no holidays: for tests and for a city without a calendar. */
    public static WorkingCalendar weekdays(ZoneId zone, List<OfficePeriod> officeHours) {
        return new WorkingCalendar(zone, officeHours, EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), Set.of(),
                List.of(), List.of());
    }

    public ZoneId zone() {
        return zone;
    }

    public List<OfficePeriod> officeHours() {
        return officeHours;
    }

    public Set<DayOfWeek> weekend() {
        return weekend;
    }

    /** The years whose public holidays and make-up working days this calendar knows. */
    public SortedSet<Integer> years() {
        return Collections.unmodifiableSortedSet(years);
    }

    /** Whether the calendar knows the holidays of {@code date}'s year; outside them only weekends are days off. */
    public boolean covers(LocalDate date) {
        return years.contains(date.getYear());
    }

    public List<Holiday> holidays() {
        return holidays;
    }

    public List<MakeUpWorkingDay> makeUpWorkingDays() {
        return makeUpWorkingDays;
    }

    public Optional<Holiday> holiday(LocalDate date) {
        return Optional.ofNullable(holidayByDate.get(date));
    }

    public Optional<MakeUpWorkingDay> makeUpWorkingDay(LocalDate date) {
        return Optional.ofNullable(makeUpByDate.get(date));
    }

    public boolean isWorkingDay(LocalDate date) {
        if (makeUpByDate.containsKey(date)) {
            return true;
        }
        return !holidayByDate.containsKey(date) && !weekend.contains(date.getDayOfWeek());
    }

    /** The office hours of {@code date} on the time line, in order; none on a day off. */
    public List<WorkingInterval> workingIntervals(LocalDate date) {
        List<WorkingInterval> known = intervalsByDate.get(date);
        if (known != null) {
            return known;
        }
        if (intervalsByDate.size() >= INTERVALS_KEPT) {
            intervalsByDate.clear();
        }
        List<WorkingInterval> intervals = intervalsOf(date);
        intervalsByDate.put(date, intervals);
        return intervals;
    }

    private List<WorkingInterval> intervalsOf(LocalDate date) {
        if (!isWorkingDay(date)) {
            return List.of();
        }
        List<WorkingInterval> intervals = new ArrayList<>(officeHours.size());
        for (OfficePeriod p : officeHours) {
            intervals.add(new WorkingInterval(ZonedDateTime.of(date, p.from(), zone).toInstant(),
                    ZonedDateTime.of(date, p.to(), zone).toInstant()));
        }
        return List.copyOf(intervals);
    }

    /**
     * The earliest instant by which {@code workingTime} of working time has passed since {@code start}. Working
     * time starting outside office hours counts from the next working period; a limit used up exactly at the end of a
     * period ends there (12:00, not 13:30). Zero working time gives {@code start} itself.
     */
    public Instant addWorking(Instant start, Duration workingTime) {
        Objects.requireNonNull(start, "start");
        if (workingTime.isNegative()) {
            throw new IllegalArgumentException("working time must not be negative: " + workingTime);
        }
        if (workingTime.isZero()) {
            return start;
        }
        Duration remaining = workingTime;
        for (LocalDate date = localDate(start); ; date = date.plusDays(1)) {
            for (WorkingInterval interval : workingIntervals(date)) {
                if (!interval.end().isAfter(start)) {
                    continue;
                }
                Instant from = interval.start().isAfter(start) ? interval.start() : start;
                Duration available = Duration.between(from, interval.end());
                if (remaining.compareTo(available) <= 0) {
                    return from.plus(remaining);
                }
                remaining = remaining.minus(available);
            }
        }
    }

    /**
     * The close of office hours on the {@code days}-th working day after the day {@code start} falls on (in this
     * calendar's zone). As for periods counted in days in Chinese law (民法典 第二百零一条, 第二百零三条), the day of
     * the start is not counted, whatever the time, and a period ends when office hours end: 2 working days from
     * Friday 10:00 end on Tuesday at 17:30. Zero days give {@code start} itself.
     */
    public Instant addWorkingDays(Instant start, int days) {
        Objects.requireNonNull(start, "start");
        if (days < 0) {
            throw new IllegalArgumentException("working days must not be negative: " + days);
        }
        if (days == 0) {
            return start;
        }
        LocalDate date = localDate(start);
        int counted = 0;
        while (counted < days) {
            date = date.plusDays(1);
            if (isWorkingDay(date)) {
                counted++;
            }
        }
        return ZonedDateTime.of(date, officeHours.get(officeHours.size() - 1).to(), zone).toInstant();
    }

    /**
     * The working time between two instants; negative when {@code b} is before {@code a}. The first and the last day
     * are measured by their office hours; the days between are counted (the weekend days by whole weeks, the
     * holidays and make-up working days from their sorted dates) and each has a whole day's office hours, unless the
     * zone's offset changes in between, when each day is measured. A queue page asks this three times for each of its
     * records: measured day by day, a record whose deadline lies 30-60 days ahead took 15.5 µs, counted 2.0 µs (one
     * thread, timed by hand; issue 8's reads).
     */
    public Duration workingTimeBetween(Instant a, Instant b) {
        if (b.isBefore(a)) {
            return workingTimeBetween(b, a).negated();
        }
        LocalDate first = localDate(a);
        LocalDate last = localDate(b);
        if (ChronoUnit.DAYS.between(first, last) < 2 || offsetChangesBetween(a, b)) {
            return workingTimeDayByDay(a, b, first, last);
        }
        return workingTimeDayByDay(a, b, first, first)
                .plus(wholeWorkingDay.multipliedBy(workingDays(first.plusDays(1), last)))
                .plus(workingTimeDayByDay(a, b, last, last));
    }

    /** {@link #workingTimeBetween} measured day by day, for {@code a} not after {@code b}: what it must equal. */
    Duration workingTimeDayByDay(Instant a, Instant b) {
        return workingTimeDayByDay(a, b, localDate(a), localDate(b));
    }

    private Duration workingTimeDayByDay(Instant a, Instant b, LocalDate first, LocalDate last) {
        Duration total = Duration.ZERO;
        for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
            for (WorkingInterval interval : workingIntervals(date)) {
                total = total.plus(interval.overlap(a, b));
            }
        }
        return total;
    }

    /** The working days from {@code from} up to, not including, {@code to}. */
    private long workingDays(LocalDate from, LocalDate to) {
        long days = ChronoUnit.DAYS.between(from, to);
        long weekendDays = days / 7 * weekend.size();
        LocalDate rest = from.plusDays(days / 7 * 7);
        for (LocalDate d = rest; d.isBefore(to); d = d.plusDays(1)) {
            if (weekend.contains(d.getDayOfWeek())) {
                weekendDays++;
            }
        }
        // a make-up working day is a weekend day and no holiday (the constructor checks it): a day is a working day
        // when it is a weekday and no holiday, or a make-up working day
        return days - weekendDays - holidaysOnWeekdays.subSet(from, to).size() + makeUpByDate.subMap(from, to).size();
    }

    /** Whether the zone's offset changes between the two instants (a day with a change has other office hours). */
    private boolean offsetChangesBetween(Instant a, Instant b) {
        ZoneOffsetTransition next = zone.getRules().nextTransition(a);
        return next != null && !next.getInstant().isAfter(b);
    }

    private LocalDate localDate(Instant instant) {
        return LocalDate.ofInstant(instant, zone); // without the ZonedDateTime and LocalDateTime of atZone
    }

    @Override
    public String toString() {
        return "WorkingCalendar[" + zone + ", " + officeHours + ", weekend " + weekend + ", years " + years + "]";
    }
}

package org.gridlink.kernel.support.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.ext.javatime.ser.InstantSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Instants in JSON as {@link Instant#toString()} writes them ({@code 2026-12-07T06:38:56.788858Z}: ISO-8601 in UTC,
 * the fraction of a second in groups of three digits as needed), written straight into the generator. Jackson's own
 * serializer formats each through {@code DateTimeFormatter.ISO_INSTANT}, which builds a {@code LocalDateTime}, a
 * print context and a {@code StringBuilder} for it (issue 8: a community node's 20-record queue page, whose records
 * carry five or six instants each, left 300 KB of garbage with this against 356 KB without, on {@code run-local.sh}).
 * Anything this does not write the
 * same way goes to Jackson's serializer: a property with a {@code @JsonFormat}, instants written as timestamps or
 * truncated to milliseconds, and years outside 0000-9999.
 */
public final class IsoInstants extends StdSerializer<Instant> {

    /** The longest instant written here: {@code 9999-12-31T23:59:59.999999999Z}. */
    static final int MAX_LENGTH = 30;

    private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    public IsoInstants() {
        super(Instant.class);
    }

    /** The module that writes every instant of a {@code JsonMapper} this way. */
    public static SimpleModule module() {
        return new SimpleModule("gridlink-iso-instants").addSerializer(Instant.class, new IsoInstants());
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializationContext context)
            throws JacksonException {
        if (context.isEnabled(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                || context.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_WRITE)) {
            InstantSerializer.INSTANCE.serialize(value, generator, context);
            return;
        }
        char[] text = new char[MAX_LENGTH];
        int length = write(value, text);
        if (length < 0) {
            generator.writeString(value.toString());
        } else {
            generator.writeString(text, 0, length);
        }
    }

    @Override
    public ValueSerializer<?> createContextual(SerializationContext context, BeanProperty property) {
        JsonFormat.Value format = findFormatOverrides(context, property, Instant.class);
        if (format != null && !format.equals(JsonFormat.Value.empty())) {
            return InstantSerializer.INSTANCE.createContextual(context, property);
        }
        return this;
    }

    /**
     * Writes the instant as {@link Instant#toString()} does into {@code into} (at least {@link #MAX_LENGTH} long) and
     * returns its length; -1 for a year outside 0000-9999, which this does not write.
     */
    static int write(Instant instant, char[] into) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return -1;
        }
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // the civil date of a day since 1970-01-01 (Howard Hinnant's days_from_civil inverted), eras of 400 years
        long shifted = days + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        int dayOfEra = (int) (shifted - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);

        digits(into, 0, year, 4);
        into[4] = '-';
        digits(into, 5, month, 2);
        into[7] = '-';
        digits(into, 8, day, 2);
        into[10] = 'T';
        digits(into, 11, secondOfDay / 3600, 2);
        into[13] = ':';
        digits(into, 14, secondOfDay / 60 % 60, 2);
        into[16] = ':';
        digits(into, 17, secondOfDay % 60, 2);
        int at = 19;
        int nanos = instant.getNano();
        if (nanos > 0) {
            into[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(into, at, nanos / 1_000_000, 3);
                at += 3;
            } else if (nanos % 1000 == 0) {
                digits(into, at, nanos / 1000, 6);
                at += 6;
            } else {
                digits(into, at, nanos, 9);
                at += 9;
            }
        }
        into[at++] = 'Z';
        return at;
    }

    /** The number's last {@code count} decimal digits, zero-padded, at {@code from}. */
    private static void digits(char[] into, int from, int number, int count) {
        for (int i = from + count - 1; i >= from; i--) {
            into[i] = (char) ('0' + number % 10);
            number /= 10;
        }
    }
}

package org.gridlink.kernel.calendar;

/** What a time limit is counted in. */
public enum LimitUnit {
    /** Hours of office time on working days (工作小时). */
    WORKING_HOURS,
    /** Whole working days, ending at the close of office hours (工作日). */
    WORKING_DAYS,
    /** Hours on the clock, nights, weekends and holidays included (自然小时): for hazards that do not wait. */
    CALENDAR_HOURS;

    /** Whether the limit's clock runs only in working time. */
    public boolean working() {
        return this != CALENDAR_HOURS;
    }
}

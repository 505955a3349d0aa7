package org.gridlink.kernel.cases.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.kernel.cases.Cases.TOWNSHIP;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.kernel.calendar.OfficePeriod;
import org.gridlink.kernel.calendar.StageLimits;
import org.gridlink.kernel.calendar.TimeLimit;
import org.gridlink.kernel.calendar.WorkingCalendar;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.Origin;
import org.gridlink.kernel.support.web.Tables;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.UnitDirectory;
import org.junit.jupiter.api.Test;

class CaseLedgerTest {

    static final UnitDirectory DIRECTORY = new UnitDirectory(List.of(), List.of(),
            List.of(new Category("GARBAGE_PILE", "垃圾堆放", "Garbage pile", "SOCIAL_MANAGEMENT", "URBAN_MANAGEMENT", 72)),
            Map.of("GARBAGE_PILE", new StageLimits(TimeLimit.workingHours(2), TimeLimit.workingDays(2),
                    TimeLimit.workingDays(1))), WorkingCalendar.weekdays(ZoneId.of("Asia/Shanghai"),
                    List.of(new OfficePeriod(LocalTime.of(9, 0), LocalTime.of(17, 30)))));

    @Test
    void aRowSaysInChineseWhatTheRecordIsWithTimesInTheCitysZone() {
        Instant reported = Instant.parse("2026-12-01T02:05:00Z");
        CaseRecord overdue = new CaseRecord(UUID.randomUUID(), TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE,
                new CaseDetails("GARBAGE_PILE", "rubbish, by the gate", null, new Location(34.77, 113.68, "经八路 1号"),
                        null, "HOTLINE", "citizen.1", reported),
                null, null, null, null, null, Instant.parse("2026-12-03T09:30:00Z"), reported, reported);
        List<List<String>> table = CaseLedger.table(List.of(overdue), Instant.parse("2026-12-04T00:00:00Z"), DIRECTORY);

        assertThat(table.get(0)).startsWith("案件编号", "单位代码", "标题", "类别", "状态");
        assertThat(table.get(0)).hasSameSizeAs(table.get(1));
        List<String> row = table.get(1);
        assertThat(row.get(0)).isEqualTo(overdue.caseId().toString());
        assertThat(row.get(1)).isEqualTo(TOWNSHIP.value());
        assertThat(row.get(3)).isEqualTo("垃圾堆放 GARBAGE_PILE");
        assertThat(row.get(4)).isEqualTo("已受理");
        assertThat(row.get(6)).as("no grid cell").isNull();
        assertThat(row.get(9)).as("reported at 10:05 in Zhengzhou").isEqualTo("2026-12-01 10:05");
        assertThat(row.get(10)).isEqualTo("处置时限");
        assertThat(row.get(11)).isEqualTo("2026-12-03 17:30");
        assertThat(row.get(12)).isEqualTo("是");
        assertThat(Tables.csv(table).lines().skip(1).findFirst().orElseThrow())
                .contains(",\"rubbish, by the gate\",").contains(",经八路 1号,");
    }
}

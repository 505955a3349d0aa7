package org.gridlink.kernel.cases.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.units.UnitDirectory;

/**
 * A unit's cases as a ledger (台账) a city office opens in a spreadsheet: one row per record, Chinese column headers,
 * times in the city's zone (the working calendar's), statuses and clocks in Chinese.
 */
final class CaseLedger {

    /** Columns a workbook keeps as text although they may look like numbers. */
    static final Set<String> TEXT_COLUMNS = Set.of("案件编号", "单位代码", "网格");

    static final List<String> HEADER = List.of("案件编号", "单位代码", "标题", "类别", "状态", "来源", "网格", "地址",
            "上报人", "上报时间", "当前时限", "时限截止", "是否超期", "承办专员", "督办次数", "处置结果", "更新时间");
    private static final Map<CaseStatus, String> STATUSES = Map.ofEntries(
            Map.entry(CaseStatus.REPORTED, "已上报"), Map.entry(CaseStatus.ACCEPTED, "已受理"),
            Map.entry(CaseStatus.REJECTED, "不予受理"), Map.entry(CaseStatus.DISPATCHED, "已派遣"),
            Map.entry(CaseStatus.IN_PROGRESS, "处置中"), Map.entry(CaseStatus.RESOLVED, "处置完成"),
            Map.entry(CaseStatus.VERIFIED, "已核查"), Map.entry(CaseStatus.REWORK, "返工"),
            Map.entry(CaseStatus.ESCALATED, "已上报上级"), Map.entry(CaseStatus.RETURNED, "已退回"),
            Map.entry(CaseStatus.REOPENED, "重新办理"), Map.entry(CaseStatus.CLOSED, "已结案"),
            Map.entry(CaseStatus.UNKNOWN, "未知"));
    private static final Map<CaseRecord.RunningClock, String> CLOCKS = Map.of(
            CaseRecord.RunningClock.ACCEPTANCE, "签收时限", CaseRecord.RunningClock.HANDLING, "处置时限",
            CaseRecord.RunningClock.VERIFICATION, "核查时限", CaseRecord.RunningClock.NONE, "");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private CaseLedger() {
    }

    /** The header and a row per record, as of {@code now} (for the clocks). */
    static List<List<String>> table(List<CaseRecord> records, Instant now, UnitDirectory directory) {
        List<List<String>> table = new ArrayList<>();
        table.add(HEADER);
        table.addAll(rows(records, now, directory));
        return table;
    }

    /** A row per record, as of {@code now}, without the header. */
    static List<List<String>> rows(List<CaseRecord> records, Instant now, UnitDirectory directory) {
        ZoneId zone = directory.calendar().zone();
        List<List<String>> rows = new ArrayList<>();
        for (CaseRecord r : records) {
            String category = directory.category(r.details().categoryCode())
                    .map(c -> c.name() + " " + c.code()).orElse(r.details().categoryCode());
            String address = r.details().location() == null ? null : r.details().location().address();
            rows.add(Arrays.asList(r.caseId().toString(), r.unit().value(), r.details().title(), category,
                    STATUSES.getOrDefault(r.status(), r.status().name()), r.details().source(), r.details().gridCode(),
                    address, r.details().reporter(), time(r.details().reportedAt(), zone), CLOCKS.get(r.runningClock()),
                    time(r.stageDueAt(), zone), r.overdueAt(now) ? "是" : "否", r.assignee(),
                    Integer.toString(r.accountability().supervisions()), r.resolution(), time(r.updatedAt(), zone)));
        }
        return rows;
    }

    private static String time(Instant at, ZoneId zone) {
        return at == null ? null : TIME.format(at.atZone(zone));
    }
}

package org.gridlink.community.patrol;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The patrols as a ledger (巡查台账): one row each, Chinese headers, times in the city's zone. */
final class PatrolLedger {

    static final List<String> HEADERS = List.of("巡查编号", "网格", "网格员", "姓名", "开始时间", "结束时间", "结束人",
            "时长(分)", "里程(米)", "打卡次数", "格外打卡", "发现问题数", "发现问题", "开始备注", "结束备注");
    /** Kept as text in a workbook although they may look like numbers. */
    static final Set<String> TEXT_COLUMNS = Set.of("巡查编号", "网格", "开始时间", "结束时间");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private PatrolLedger() {
    }

    static List<List<String>> table(List<Patrol> patrols, ZoneId zone, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Patrol p : patrols) {
            rows.add(List.of(p.id().toString(), p.gridCode(), p.patroller(), p.patrollerName(), time(p.startedAt(), zone),
                    p.endedAt() == null ? "进行中" : time(p.endedAt(), zone), text(p.endedBy()),
                    Long.toString(p.duration(now).toMinutes()), Long.toString(Math.round(p.distanceMetres())),
                    Integer.toString(p.points().size()), Long.toString(p.pointsOutsideCell()),
                    Integer.toString(p.findings().size()),
                    p.findings().stream().map(Patrol.Finding::title).collect(Collectors.joining("；")),
                    text(p.startNote()), text(p.endNote())));
        }
        return rows;
    }

    private static String time(Instant at, ZoneId zone) {
        return TIME.format(at.atZone(zone));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}

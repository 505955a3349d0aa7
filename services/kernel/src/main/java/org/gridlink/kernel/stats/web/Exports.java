package org.gridlink.kernel.stats.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridlink.kernel.stats.Assessment;
import org.gridlink.kernel.stats.Figures;

/**
 * The stats and assessment tables as a city office opens them, with Chinese column headers: rows of text, which
 * {@link org.gridlink.kernel.support.web.Tables} writes as CSV or as a workbook.
 */
final class Exports {

    /** Columns a workbook keeps as text although they look like numbers: unit codes keep their digits, dates stay. */
    static final Set<String> TEXT_COLUMNS = Set.of("单位代码", "代码", "考核期", "起始日期", "截止日期", "上报时间");

    private Exports() {
    }

    static List<List<String>> statsTable(StatsController.StatsView v) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("单位代码", "单位名称", "范围", "起始日期", "截止日期", "上报时间", "数据过期", "数据时长(秒)"));
        Figures.LABELS.values().forEach(header::add);
        Figures.RATES.forEach(r -> header.add(r.label()));
        Figures.CURRENT_LABELS.values().forEach(header::add);
        rows.add(header);
        rows.add(row(v.unit(), v.name(), "本级及下级合计", v, null, false, null, v.figures(), v.current()));
        rows.add(row(v.unit(), v.name(), "本级", v, null, false, null, v.own(), null));
        for (StatsController.ChildView c : v.children()) {
            rows.add(row(c.code(), c.name(), "下级", v, c.reportedAt() == null ? "" : c.reportedAt().toString(), c.stale(),
                    c.ageSeconds(), c.figures(), c.current()));
        }
        return rows;
    }

    static List<List<String>> assessmentTable(StatsController.AssessmentView v) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("考核期", "排名", "代码", "名称", "得分", "奖惩档次"));
        Figures.RATES.forEach(r -> header.add(r.label()));
        header.add("计分公式");
        rows.add(header);
        for (Assessment.Ranked r : v.ranking()) {
            List<String> row = new ArrayList<>(List.of(v.period(), r.rank() == 0 ? "" : Integer.toString(r.rank()), r.code(),
                    r.name(), r.score() == null ? "" : r.score().toString(), band(r.band())));
            Figures.RATES.forEach(rate -> row.add(value(r.rates().get(rate.name()))));
            row.add(v.formula());
            rows.add(row);
        }
        return rows;
    }

    static String band(Assessment.Band b) {
        return switch (b) {
            case COMMENDED -> "表扬";
            case NORMAL -> "正常";
            case WARNED -> "警示";
            case NO_DATA -> "无数据";
        };
    }

    private static List<String> row(String code, String name, String scope, StatsController.StatsView v, String reportedAt,
                                    boolean stale, Long age, StatsController.FiguresView f, Map<String, Long> current) {
        List<String> row = new ArrayList<>(List.of(code, name, scope, v.from().toString(), v.to().toString(),
                reportedAt == null ? v.asOf().toString() : reportedAt, stale ? "是" : "否", age == null ? "" : age.toString()));
        Map<String, Long> counts = f == null ? Map.of() : f.counts();
        Map<String, Double> rates = f == null ? Map.of() : f.rates();
        Figures.LABELS.keySet().forEach(k -> row.add(f == null ? "" : Long.toString(counts.getOrDefault(k, 0L))));
        Figures.RATES.forEach(r -> row.add(value(rates.get(r.name()))));
        Figures.CURRENT_LABELS.keySet().forEach(k -> row.add(current == null ? "" : Long.toString(current.getOrDefault(k, 0L))));
        return row;
    }

    private static String value(Double d) {
        return d == null ? "" : d.toString();
    }
}

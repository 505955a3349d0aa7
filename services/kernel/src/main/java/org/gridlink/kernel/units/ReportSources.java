package org.gridlink.kernel.units;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The channels a report may come by (来源), each with whether the figures count it as found proactively (主动发现) or as
 * a hotline complaint (热线: the three hotline rates). A report names one of them or none: a source nobody knows would
 * be counted nowhere, so it is refused. The vocabulary is the platform's own sources and every source the node's
 * figures are configured to count ({@code gridlink.stats.proactive-sources}, {@code gridlink.stats.hotline-sources}),
 * so a city that counts another hotline (12319) takes its reports and offers it in the console.
 */
public final class ReportSources {

    /** One channel a report may come by. */
    public record Source(String code, String name, String nameEn, boolean proactive, boolean hotline) {
    }

    /** The platform's own sources, in the order the console offers them. */
    static final List<Source> OWN = List.of(
            new Source("GRID_PATROL", "网格巡查", "Grid patrol", false, false),
            new Source("INSPECTION", "督查检查", "Inspection", false, false),
            new Source("HOTLINE_12345", "12345热线", "12345 hotline", false, false),
            new Source("CITIZEN_APP", "市民App", "Citizen app", false, false),
            new Source("CITIZEN_COMPLAINT", "群众来访", "Complaint in person", false, false),
            new Source("OPEN311", "Open311应用", "Open311 app", false, false),
            new Source("OTHER", "其他", "Other", false, false));

    private final Map<String, Source> byCode;

    private ReportSources(Map<String, Source> byCode) {
        this.byCode = byCode;
    }

    /** The platform's sources and the configured ones, each marked as the figures count it. */
    public static ReportSources of(Collection<String> proactive, Collection<String> hotline) {
        Map<String, Source> sources = new LinkedHashMap<>();
        OWN.forEach(s -> sources.put(s.code(), s));
        List<String> configured = new ArrayList<>(proactive);
        configured.addAll(hotline);
        configured.forEach(code -> sources.putIfAbsent(code, new Source(code, code, code, false, false)));
        sources.replaceAll((code, s) -> new Source(code, s.name(), s.nameEn(), proactive.contains(code),
                hotline.contains(code)));
        return new ReportSources(sources);
    }

    public List<Source> all() {
        return List.copyOf(byCode.values());
    }

    public Optional<Source> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** The codes, comma-separated, for an answer that says what a report may name. */
    public String codes() {
        return byCode.keySet().stream().collect(Collectors.joining(", "));
    }
}

package org.gridlink.kernel.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a roll-up counts and the rates derived from the counts (docs/stats.md says at which unit each count is
 * made, so that a case that passed through several units is never counted twice). A new figure is one line here.
 */
public final class Figures {

    /** Timeline actions counted one for one at the unit that made the entry: action → counter name. */
    public static final Map<String, String> ACTION_COUNTERS = orderedMap(
            "REPORT", "reported",                 // 新报: a case found and reported at this unit
            "RECEIVE", "received",                // 收件: an escalation or a dispatch that arrived here
            "ACCEPT", "accepted",
            "REJECT", "rejected",
            "ESCALATE", "escalated",              // 上报 (auto-escalations by the system included)
            "DISPATCH", "dispatched",             // 下派 (and forwarded sideways, and to a department officer)
            "RETURN", "returned",                 // an escalation sent back down by this unit
            "RETURNED", "bounces",                // an escalation of this unit came back to it
            "VERIFY", "verified",
            "CLOSE", "closed",                    // 结案: only the owner closes, once per case
            "RETURN_REQUEST", "returnRequests",   // 退单 asked by the receiver or its officer (issue 4)
            "EXTEND_REQUEST", "extensionRequests", // 延期 asked (issue 4)
            "PARK_REQUEST", "parkRequests",       // 挂账 asked (issue 4)
            "RECATEGORISE", "recategorised",      // 改类 (issue 4)
            "RECALL", "recalled",                 // 撤回: a dispatch to one of the unit's officers taken back unsigned
            "REASSIGN", "reassigned",             // 改派: a case an officer held given to another by the supervisor
            "VERDICT_SATISFIED", "satisfied",     // 回访: the reporter is satisfied
            "VERDICT_NOT_FIXED", "notFixed");     // 回访: the reporter says it is not fixed (also counts as rework)

    /**
     * Decisions on a request, counted at the unit whose request was decided (the one that asked, not the dispatcher
     * that decided): decision action → counter name. Each decision answers the latest request of its kind before it
     * in the record's timeline; it counts where that request is the unit's own entry, so exactly once.
     */
    public static final Map<String, String> DECISION_COUNTERS = orderedMap(
            "RETURN_APPROVED", "returnsApproved",       // 退单 (流转次数): the case went back to the dispatcher
            "RETURN_OVERRULED", "returnsOverruled",     // 首接负责制: the receiver keeps it
            "EXTENSION_APPROVED", "extensionsApproved", // 延期
            "EXTENSION_REFUSED", "extensionsRefused",
            "PARK_APPROVED", "parksApproved",           // 挂账
            "PARK_REFUSED", "parksRefused");

    /** The request a decision answers: decision action → request action. */
    public static final Map<String, String> REQUEST_OF_DECISION = orderedMap(
            "RETURN_APPROVED", "RETURN_REQUEST", "RETURN_OVERRULED", "RETURN_REQUEST",
            "EXTENSION_APPROVED", "EXTEND_REQUEST", "EXTENSION_REFUSED", "EXTEND_REQUEST",
            "PARK_APPROVED", "PARK_REQUEST", "PARK_REFUSED", "PARK_REQUEST");

    /**
     * Counters that are not one timeline action each: {@code resolved} (the unit that made the case's last RESOLVE),
     * {@code resolvedOnTime} (that RESOLVE no later than the record's due time), {@code verifiedOnTime} (a VERIFY of
     * the record's last verification round no later than its due time, at the verifying unit), {@code reworked} (a REWORK that sent
     * this unit's own handling back, or a NOT_FIXED verdict made here), {@code closeSeconds} (report to close, at the
     * closing unit), {@code overdue} (this unit's records found overdue, by the day found), {@code proactive} /
     * {@code hotline} (reports by source), {@code hotlineResponded} (a hotline report accepted within its acceptance
     * limit), {@code hotlineResolved}, {@code hotlineSatisfied} / {@code hotlineNotFixed} (verdicts on hotline cases),
     * {@code receivedDispatches} (dispatches this unit's people got: from the unit above, or to one of its officers),
     * {@code autoEscalations} (ESCALATE by the system), {@code supervisions} / {@code leaderSupervisions} (督办 notices
     * the unit sent, and those of them a leader sent: 领导督办), {@code category.<code>} and {@code source.<source>}
     * (reports by category and by source); now: {@code status.<STATUS>}, {@code overdueNow}, {@code parkedNow}.
     */
    public static final List<String> DERIVED_COUNTERS = List.of("resolved", "resolvedOnTime", "verifiedOnTime",
            "reworked", "closeSeconds",
            "overdue", "proactive", "hotline", "hotlineResponded", "hotlineResolved", "hotlineSatisfied",
            "hotlineNotFixed", "receivedDispatches", "autoEscalations", "supervisions", "leaderSupervisions");

    /** A rate: a counter over the sum of other counters; null when the denominator is zero (no data, not 0%). */
    public record Rate(String name, String label, String numerator, List<String> denominator, double scale) {
    }

    public static final List<Rate> RATES = List.of(
            new Rate("handlingRate", "处置率", "resolved", List.of("reported"), 1),
            new Rate("onTimeRate", "按期处置率", "resolvedOnTime", List.of("resolved"), 1),
            new Rate("verifyOnTimeRate", "按期核查率", "verifiedOnTime", List.of("verified"), 1),
            new Rate("reworkRate", "返工率", "reworked", List.of("resolved"), 1),
            new Rate("returnRate", "退单率", "returnsApproved", List.of("receivedDispatches"), 1),
            new Rate("extensionRate", "延期率", "extensionsApproved", List.of("reported", "received"), 1),
            new Rate("escalationRate", "上报率", "escalated", List.of("reported", "received"), 1),
            new Rate("proactiveShare", "主动发现率", "proactive", List.of("reported"), 1),
            new Rate("hotlineResponseRate", "响应率", "hotlineResponded", List.of("hotline"), 1),
            new Rate("hotlineResolveRate", "解决率", "hotlineResolved", List.of("hotline"), 1),
            new Rate("hotlineSatisfactionRate", "满意率", "hotlineSatisfied", List.of("hotlineSatisfied", "hotlineNotFixed"), 1),
            new Rate("averageHoursToClose", "平均结案时长(小时)", "closeSeconds", List.of("closed"), 1.0 / 3600));

    /** Chinese labels of the counters shown in tables and exports. */
    public static final Map<String, String> LABELS = orderedMap(
            "reported", "新报数", "received", "收件数", "receivedDispatches", "受派件数", "accepted", "受理数",
            "rejected", "不予受理数", "escalated", "上报数", "autoEscalations", "超时自动上报数", "dispatched", "下派数",
            "returned", "退回数", "bounces", "被退回数", "resolved", "处置数", "resolvedOnTime", "按期处置数",
            "verified", "核查数", "verifiedOnTime", "按期核查数", "closed", "结案数", "reworked", "返工数", "overdue", "超期数", "proactive", "主动发现数",
            "hotline", "热线数", "returnRequests", "退单申请数", "returnsApproved", "退单数(流转次数)",
            "returnsOverruled", "退单驳回数", "extensionRequests", "延期申请数", "extensionsApproved", "延期数",
            "extensionsRefused", "延期驳回数", "parkRequests", "挂账申请数", "parksApproved", "挂账数",
            "parksRefused", "挂账驳回数", "recategorised", "改类数", "recalled", "撤回数",
            "reassigned", "改派数", "supervisions", "督办数",
            "leaderSupervisions", "领导督办数", "satisfied", "满意数", "notFixed", "不满意(未解决)数",
            "patrols", "巡查次数", "patrolledCells", "巡查网格数(格·日)");

    /** Chinese labels of the counts as of now. */
    public static final Map<String, String> CURRENT_LABELS = orderedMap(
            "overdueNow", "当前超期数", "parkedNow", "当前挂账数", "gridCells", "网格数");

    private Figures() {
    }

    /** The rates of summed counts, by rate name, in {@link #RATES} order; a value is null when there is no data. */
    public static Map<String, Double> rates(Map<String, Long> counts) {
        Map<String, Double> result = new LinkedHashMap<>();
        for (Rate r : RATES) {
            long den = r.denominator().stream().mapToLong(k -> counts.getOrDefault(k, 0L)).sum();
            Double value = den == 0 ? null : round(counts.getOrDefault(r.numerator(), 0L) * r.scale() / den);
            result.put(r.name(), value);
        }
        return result;
    }

    /** 巡查覆盖率: the rate beside {@link #RATES} that takes the days the figures span. */
    public static final String PATROL_COVERAGE = "patrolCoverage";

    /**
     * 巡查覆盖率: the cell-days patrolled ({@code patrolledCells}: each grid cell counted once a day it was patrolled)
     * per cell-day of the {@code days} the counts span, the cells being those the unit has now ({@code current}
     * {@code gridCells}); null without cells (a unit above no community, or before its node reports them).
     */
    public static Double patrolCoverage(Map<String, Long> counts, Map<String, Long> current, long days) {
        long cells = current == null ? 0 : current.getOrDefault("gridCells", 0L);
        if (cells <= 0 || days <= 0) {
            return null;
        }
        return round((double) counts.getOrDefault("patrolledCells", 0L) / (cells * days));
    }

    /**
     * The rates of summed counts ({@link #rates(Map)}) and, where the figures cover grid cells ({@code current}'s
     * {@code gridCells}), {@link #PATROL_COVERAGE} over the {@code days} they span.
     */
    public static Map<String, Double> rates(Map<String, Long> counts, Map<String, Long> current, long days) {
        Map<String, Double> result = rates(counts);
        Double coverage = patrolCoverage(counts, current, days);
        if (coverage != null) {
            result.put(PATROL_COVERAGE, coverage);
        }
        return result;
    }

    /** Every rate an assessment may weigh, by name, with its label: {@link #RATES} and {@link #PATROL_COVERAGE}. */
    public static Map<String, String> rateLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        RATES.forEach(r -> labels.put(r.name(), r.label()));
        labels.put(PATROL_COVERAGE, "巡查覆盖率");
        return labels;
    }

    /** Adds {@code more} into {@code into}, key by key. */
    public static void add(Map<String, Long> into, Map<String, Long> more) {
        more.forEach((k, v) -> into.merge(k, v, Long::sum));
    }

    public static SortedMap<String, Long> sum(List<Map<String, Long>> parts) {
        SortedMap<String, Long> total = new TreeMap<>();
        parts.forEach(p -> add(total, p));
        return Collections.unmodifiableSortedMap(total);
    }

    static double round(double v) {
        return Math.round(v * 10_000d) / 10_000d;
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}

package org.gridlink.kernel.evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridlink.kernel.cases.TimelineEntry;

/**
 * A piece of evidence as every unit along the chain knows it: from the {@code EVIDENCE} entry of the timeline (whose
 * id is the evidence id and whose unit holds the bytes). The bytes stay in the holding unit's database and are read
 * at {@link #href}. {@code mergedFrom}: the case a duplicate report it came with was merged from (its href is that
 * record's), null for the record's own.
 */
public record EvidenceRef(UUID evidenceId, String holdingUnit, String stage, String fileName, String contentType,
                          Long sizeBytes, Instant uploadedAt, String uploadedBy, String href, UUID mergedFrom) {

    /** The record's own evidence. */
    public EvidenceRef(UUID evidenceId, String holdingUnit, String stage, String fileName, String contentType,
                       Long sizeBytes, Instant uploadedAt, String uploadedBy, String href) {
        this(evidenceId, holdingUnit, stage, fileName, contentType, sizeBytes, uploadedAt, uploadedBy, href, null);
    }

    /** The timeline action of an upload. */
    public static final String ACTION = "EVIDENCE";

    private static final Pattern NOTE = Pattern.compile("^(BEFORE|AFTER): (.+) \\(([^,()]+), (\\d+) bytes\\)(.*)$",
            Pattern.DOTALL);

    /** The entry's note: what other units read the reference from. */
    public static String note(EvidenceStage stage, String fileName, String contentType, long size, PhotoMetadata meta) {
        StringBuilder s = new StringBuilder(stage.name()).append(": ").append(fileName).append(" (").append(contentType)
                .append(", ").append(size).append(" bytes)");
        if (meta.takenAt() != null) {
            s.append("; taken ").append(meta.takenAt());
        }
        if (meta.lat() != null) {
            s.append(String.format(java.util.Locale.ROOT, "; at %.6f, %.6f", meta.lat(), meta.lon()));
        }
        return s.toString();
    }

    public static List<EvidenceRef> of(UUID caseId, List<TimelineEntry> timeline) {
        return of(caseId, timeline, null);
    }

    /** The evidence of a record merged into another, as the surviving record lists it. */
    public static List<EvidenceRef> merged(UUID mergedCaseId, List<TimelineEntry> timeline) {
        return of(mergedCaseId, timeline, mergedCaseId);
    }

    private static List<EvidenceRef> of(UUID caseId, List<TimelineEntry> timeline, UUID mergedFrom) {
        List<EvidenceRef> refs = new ArrayList<>();
        for (TimelineEntry e : timeline) {
            if (!ACTION.equals(e.action())) {
                continue;
            }
            Matcher m = NOTE.matcher(e.note() == null ? "" : e.note());
            boolean parsed = m.matches();
            refs.add(new EvidenceRef(e.id(), e.unit().value(), parsed ? m.group(1) : null, parsed ? m.group(2) : null,
                    parsed ? m.group(3) : null, parsed ? Long.parseLong(m.group(4)) : null, e.at(), e.actor(),
                    href(e.unit().value(), caseId, e.id()), mergedFrom));
        }
        return refs;
    }

    public static String href(String unit, UUID caseId, UUID evidenceId) {
        return "/api/units/" + unit + "/cases/" + caseId + "/evidence/" + evidenceId;
    }
}

package org.gridlink.kernel.cases.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.springframework.http.ETag;

/**
 * A record's version on the wire: its {@code ETag} is the instant it last changed ({@code updatedAt}), which every
 * change of the record moves on under its lock. An action sent with {@code If-Match} on that tag is taken only if the
 * record is still at that version, so a person never acts on a record someone else changed since they read it.
 */
public final class RecordVersions {

    static final String IF_MATCH_DESCRIPTION = "Optional: the ETag of the record as the person read it (GET"
            + " …/cases/{caseId} gives it), so the action is taken only if nobody changed the record since; otherwise"
            + " 412 and nothing changes. * or no header: any version.";

    private RecordVersions() {
    }

    /** The record's entity tag: strong, since the version names one state of the record. */
    static String etag(CaseRecord record) {
        return etag(record.updatedAt());
    }

    /** The entity tag of a record's version: the instant it last changed. */
    public static String etag(Instant changedAt) {
        return new ETag(changedAt.toString(), false).formattedTag();
    }

    /**
     * The versions an {@code If-Match} header accepts: null for any (no header, or {@code *}); a weak tag, or one that
     * was never a record's, matches none (strong comparison, RFC 9110 §13.1.1). A header that holds no entity tag is
     * a 400.
     */
    static Set<Instant> accepted(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        List<ETag> tags = ETag.parse(ifMatch);
        if (tags.isEmpty()) {
            throw InvalidRequestException.malformed("If-Match", "If-Match is * or entity tags in double quotes, as the"
                    + " ETag header of GET …/cases/{caseId} gives them");
        }
        Set<Instant> versions = new HashSet<>();
        for (ETag tag : tags) {
            if (tag.isWildcard()) {
                return null;
            }
            if (!tag.weak()) {
                try {
                    versions.add(Instant.parse(tag.tag()));
                } catch (DateTimeException notOurs) {
                    // a tag no record ever had: it matches no version
                }
            }
        }
        return versions;
    }
}

package org.gridlink.community.patrol;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.geo.Distance;

/**
 * A grid worker's walk of one of their grid cells (巡查): started, the places checked in at on the way (打卡), ended.
 *
 * @param points   the check-ins, in order
 * @param findings the cases the patroller reported at the unit while the patrol was under way
 */
public record Patrol(UUID id, UnitCode unit, String gridCode, String patroller, String patrollerName, Instant startedAt,
                     String startNote, Instant endedAt, String endedBy, String endNote, List<Point> points,
                     List<Finding> findings) {

    public Patrol {
        points = List.copyOf(points);
        findings = List.copyOf(findings);
    }

    /** A place checked in at; {@code gridCode} the cell that holds it (null: none of the unit's cells). */
    public record Point(int seq, Instant at, double lat, double lon, String gridCode, String note) {
    }

    /** A case the patroller reported meanwhile. */
    public record Finding(UUID caseId, String reporter, String title, String categoryCode, String status, String gridCode,
                          Instant reportedAt) {
    }

    public boolean underWay() {
        return endedAt == null;
    }

    /** How long it went on: until its end, or until {@code now} while under way. */
    public Duration duration(Instant now) {
        Instant end = endedAt != null ? endedAt : now;
        return end.isBefore(startedAt) ? Duration.ZERO : Duration.between(startedAt, end);
    }

    /** The length of the line through its check-ins, in metres (0 for fewer than two). */
    public double distanceMetres() {
        double metres = 0;
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            metres += Distance.metres(a.lat(), a.lon(), b.lat(), b.lon());
        }
        return metres;
    }

    /** The check-ins outside the cell patrolled. */
    public long pointsOutsideCell() {
        return points.stream().filter(p -> !gridCode.equals(p.gridCode())).count();
    }

    /** Whether the patroller reported this case while the patrol was under way (until {@code now}). */
    public boolean found(Finding f, Instant now) {
        Instant end = endedAt != null ? endedAt : now;
        return f.reporter().equals(patroller) && !f.reportedAt().isBefore(startedAt) && !f.reportedAt().isAfter(end);
    }

    public Patrol withFindings(List<Finding> found) {
        return new Patrol(id, unit, gridCode, patroller, patrollerName, startedAt, startNote, endedAt, endedBy, endNote,
                points, found);
    }

    public Patrol withPoints(List<Point> checkedIn) {
        return new Patrol(id, unit, gridCode, patroller, patrollerName, startedAt, startNote, endedAt, endedBy, endNote,
                checkedIn, findings);
    }
}

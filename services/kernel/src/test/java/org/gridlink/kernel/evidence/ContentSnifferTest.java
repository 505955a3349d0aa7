package org.gridlink.kernel.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.TimelineEntry;
import org.junit.jupiter.api.Test;

/** The bytes decide what a file is; the timeline entry carries the reference other units read. */
class ContentSnifferTest {

    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
    static final byte[] PDF = "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] TEXT = "this is not a photo".getBytes(StandardCharsets.UTF_8);

    @Test
    void theMagicNumbersNameTheKind() {
        assertThat(ContentSniffer.sniff(JPEG)).contains(ContentSniffer.Kind.JPEG);
        assertThat(ContentSniffer.sniff(PNG)).contains(ContentSniffer.Kind.PNG);
        assertThat(ContentSniffer.sniff(PDF)).contains(ContentSniffer.Kind.PDF);
        assertThat(ContentSniffer.sniff(TEXT)).isEmpty();
        assertThat(ContentSniffer.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEmpty();
        assertThat(ContentSniffer.sniff(new byte[0])).isEmpty();
    }

    @Test
    void aFileIsTakenWhenItsBytesAgreeWithItsDeclaredType() {
        assertThat(ContentSniffer.check("image/jpeg", JPEG)).isEqualTo(ContentSniffer.Kind.JPEG);
        assertThat(ContentSniffer.check("image/jpg", JPEG)).isEqualTo(ContentSniffer.Kind.JPEG);
        assertThat(ContentSniffer.check("image/png", PNG)).isEqualTo(ContentSniffer.Kind.PNG);
        assertThat(ContentSniffer.check("application/pdf; charset=binary", PDF)).isEqualTo(ContentSniffer.Kind.PDF);
        assertThat(ContentSniffer.check("application/octet-stream", PNG)).isEqualTo(ContentSniffer.Kind.PNG);
        assertThat(ContentSniffer.check(null, JPEG)).isEqualTo(ContentSniffer.Kind.JPEG);
    }

    @Test
    void aFakeJpegIsRefused() {
        assertThatThrownBy(() -> ContentSniffer.check("image/jpeg", TEXT))
                .isInstanceOf(ContentSniffer.UnsupportedContentException.class)
                .hasMessageContaining("not a JPEG, PNG or PDF").hasMessageContaining("image/jpeg");
    }

    @Test
    void aFileThatClaimsAnotherKindIsRefused() {
        assertThatThrownBy(() -> ContentSniffer.check("image/jpeg", PNG))
                .isInstanceOf(ContentSniffer.UnsupportedContentException.class)
                .hasMessageContaining("claims to be image/jpeg but its bytes are a PNG");
        assertThatThrownBy(() -> ContentSniffer.check("text/html", PDF))
                .isInstanceOf(ContentSniffer.UnsupportedContentException.class);
    }

    @Test
    void aPhotoWithoutExifHasNoPlaceOrTime() {
        assertThat(PhotoMetadata.read(JPEG, TimeZone.getTimeZone("Asia/Shanghai"))).isEqualTo(PhotoMetadata.NONE);
        assertThat(PhotoMetadata.read(TEXT, TimeZone.getTimeZone("Asia/Shanghai"))).isEqualTo(PhotoMetadata.NONE);
    }

    @Test
    void everyUnitReadsTheReferenceFromTheTimeline() {
        UUID caseId = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-02T01:00:00Z");
        String note = EvidenceRef.note(EvidenceStage.AFTER, "after (1).jpg", "image/jpeg", 1234,
                new PhotoMetadata(at, 34.772, 113.662));
        TimelineEntry entry = TimelineEntry.of(at, UnitCode.of("410105001001"), "gridworker.410105001001-01",
                EvidenceRef.ACTION, CaseStatus.IN_PROGRESS, CaseStatus.IN_PROGRESS, note);
        TimelineEntry other = TimelineEntry.of(at, UnitCode.of("410105001001"), "system", "ACCEPT", null, null, null);
        assertThat(EvidenceRef.of(caseId, List.of(other, entry))).singleElement().satisfies(ref -> {
            assertThat(ref.evidenceId()).isEqualTo(entry.id());
            assertThat(ref.holdingUnit()).isEqualTo("410105001001");
            assertThat(ref.stage()).isEqualTo("AFTER");
            assertThat(ref.fileName()).isEqualTo("after (1).jpg");
            assertThat(ref.contentType()).isEqualTo("image/jpeg");
            assertThat(ref.sizeBytes()).isEqualTo(1234L);
            assertThat(ref.href()).isEqualTo("/api/units/410105001001/cases/" + caseId + "/evidence/" + entry.id());
        });
    }
}

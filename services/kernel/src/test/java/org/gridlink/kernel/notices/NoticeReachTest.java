package org.gridlink.kernel.notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;
import org.gridlink.kernel.units.seeds.SeedLoader;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import tools.jackson.databind.json.JsonMapper;

/** Which units a notice goes to, what a reach may be, and when a unit is late (the sample city's seeds). */
class NoticeReachTest {

    private static final UnitDirectory SEEDS = new SeedLoader(new DefaultResourceLoader(), JsonMapper.builder().build())
            .load("classpath:seeds/zhengzhou");
    private static final UnitCode CITY = UnitCode.of("410100000000");
    private static final UnitCode HUIJI = UnitCode.of("410108000000");

    @Test
    void aNoticeGoesToEveryUnitBelowDownToItsReachTierByTier() {
        assertThat(NoticeHandling.below(SEEDS, HUIJI, Tier.TOWNSHIP)).extracting(UnitCode::value)
                .containsExactly("410108001000", "410108002000");
        assertThat(NoticeHandling.below(SEEDS, HUIJI, Tier.COMMUNITY)).extracting(UnitCode::value)
                .containsExactly("410108001000", "410108002000", "410108001001", "410108001002", "410108001003",
                        "410108002001", "410108002002", "410108002003");
        // the city's whole subtree: every unit of the seeds but itself, each once
        List<UnitCode> all = NoticeHandling.below(SEEDS, CITY, Tier.COMMUNITY);
        assertThat(all).doesNotHaveDuplicates().doesNotContain(CITY)
                .hasSize(SEEDS.size() - 1).allSatisfy(u -> assertThat(CITY.contains(u)).isTrue());
        assertThat(NoticeHandling.below(SEEDS, CITY, Tier.DISTRICT)).extracting(UnitCode::tier).containsOnly(Tier.DISTRICT)
                .hasSize(3);
    }

    @Test
    void aReachIsATierBelowTheUnitsTheWholeSubtreeByDefault() {
        Unit district = SEEDS.find(HUIJI).orElseThrow();
        assertThat(NoticeHandling.reach(district, null)).isEqualTo(Tier.COMMUNITY);
        assertThat(NoticeHandling.reach(district, " Township ")).isEqualTo(Tier.TOWNSHIP);
        assertThatThrownBy(() -> NoticeHandling.reach(district, "district")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("a tier below").extracting(e -> ((InvalidRequestException) e).field())
                .isEqualTo("reach");
        assertThatThrownBy(() -> NoticeHandling.reach(district, "city")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> NoticeHandling.reach(district, "street")).isInstanceOf(InvalidRequestException.class)
                .matches(e -> ((InvalidRequestException) e).malformed());
        Unit community = SEEDS.find("410108001001").orElseThrow();
        assertThatThrownBy(() -> NoticeHandling.reach(community, null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("no units below");
    }

    @Test
    void aUnitIsLateUnsignedPastTheTimeOrSignedAfterIt() {
        Instant signBy = Instant.parse("2026-12-06T09:00:00Z");
        Instant before = signBy.minusSeconds(60);
        Instant after = signBy.plusSeconds(60);
        Notice.Receipt unsigned = new Notice.Receipt(HUIJI, null, null, null);
        assertThat(unsigned.lateAt(signBy, before)).isFalse();
        assertThat(unsigned.lateAt(signBy, after)).isTrue();
        assertThat(unsigned.lateAt(null, after)).isFalse();
        assertThat(new Notice.Receipt(HUIJI, before, "a", null).lateAt(signBy, after)).isFalse();
        assertThat(new Notice.Receipt(HUIJI, after, "a", null).lateAt(signBy, after)).isTrue();
        Notice.Received received = new Notice.Received(java.util.UUID.randomUUID(), HUIJI, CITY, "s", before, "t", "b",
                signBy, before, after, "a", null, 0, null, null, null, null, 0, 0, null, null);
        assertThat(received.lateAt(after)).isTrue();
    }

    @Test
    void aSignatureGoesToTheIssuerAndToEveryUnitBetweenTheNearestFirst() {
        JsonMapper json = JsonMapper.builder().build();
        NoticeEvents events = new NoticeEvents(json);
        Instant at = Instant.parse("2026-12-06T02:00:00Z");
        // 老鸦陈社区 signs for the city's notice: to 老鸦陈街道, to 惠济区, to the city
        Notice.Received signed = new Notice.Received(java.util.UUID.randomUUID(), UnitCode.of("410108001001"), CITY,
                "supervisor.410100000000", at, "t", "b", null, at, at, "handler.410108001001", "收到", 0, null,
                Tier.COMMUNITY, null, null, 0, 0, null, null);
        List<org.gridlink.kernel.support.events.CloudEvent> sent = events.signed(signed);
        assertThat(sent).extracting(org.gridlink.kernel.support.events.CloudEvent::target)
                .containsExactly("410108001000", "410108000000", "410100000000");
        assertThat(sent).allSatisfy(e -> {
            NoticeEventData.Signed body = events.read(e, NoticeEventData.Signed.class);
            assertThat(body.toUnit()).isEqualTo(e.target());
            assertThat(body.issuer()).isEqualTo(CITY.value());
            assertThat(body.fromUnit()).isEqualTo("410108001001");
            assertThat(body.reply()).isEqualTo("收到");
        });
        // a township's signature for its district's notice goes to the district alone
        Notice.Received township = new Notice.Received(java.util.UUID.randomUUID(), UnitCode.of("410108001000"), HUIJI,
                "s", at, "t", "b", null, at, at, "h", null, 0, null, Tier.TOWNSHIP, null, null, 0, 0, null, null);
        assertThat(events.signed(township)).extracting(org.gridlink.kernel.support.events.CloudEvent::target)
                .containsExactly(HUIJI.value());
    }

    @Test
    void aUnitBetweenRemindsAUnitBelowWithTheIssuersNoticeNamingItself() {
        JsonMapper json = JsonMapper.builder().build();
        NoticeEvents events = new NoticeEvents(json);
        Instant at = Instant.parse("2026-12-06T02:00:00Z");
        Instant pressed = Instant.parse("2026-12-07T01:00:00Z");
        // 老鸦陈街道 presses 老鸦陈社区 about 惠济区's notice
        Notice.Received township = new Notice.Received(java.util.UUID.randomUUID(), UnitCode.of("410108001000"), HUIJI,
                "supervisor.410108000000", at, "t", "b", at.plusSeconds(86_400), at, null, null, null, 1, at,
                Tier.COMMUNITY, null, null, 0, 2, pressed, at.plusSeconds(90_000));
        org.gridlink.kernel.support.events.CloudEvent sent = events.remindedBelow(township, UnitCode.of("410108001001"));
        assertThat(sent.type()).isEqualTo(NoticeEvents.ISSUED);
        assertThat(sent.target()).isEqualTo("410108001001");
        assertThat(sent.source()).isEqualTo("/units/410108001000");
        assertThat(sent.time()).isEqualTo(pressed);
        NoticeEventData.Issued body = events.read(sent, NoticeEventData.Issued.class);
        assertThat(body.fromUnit()).as("the issuer, as the notice says").isEqualTo(HUIJI.value());
        assertThat(body.remindedFrom()).isEqualTo("410108001000");
        assertThat(body.reminder()).as("the issuer's count is not the township's").isNull();
        assertThat(body.lateRemindedAt()).as("the issuer's node's reminder when late is not the township's").isNull();
        assertThat(body.remindedAt()).isEqualTo(pressed);
        assertThat(body.signBy()).isEqualTo(at.plusSeconds(86_400));
        assertThat(body.reach()).isEqualTo("community");
        assertThat(body.toUnit()).isEqualTo("410108001001");
    }
}

package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.Api.problem;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.notices.NoticeHandling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Notices (通知) through the gateway with real tokens, across the tiers on the real broker: a district's notice reaches
 * every unit below it down to the tier it names and no other, each unit signs for it once (签收), and the district sees
 * who has and who has not; the unit's to-do counts what it has not signed for. Units of 惠济区, which no other test
 * issues notices from.
 */
class NoticesIT {

    static final String DISTRICT = "410108000000";
    static final String TOWNSHIP = "410108001000";
    static final String SIBLING_TOWNSHIP = "410108002000";
    static final String COMMUNITY = "410108001001";
    static final List<String> COMMUNITIES = List.of("410108001001", "410108001002", "410108001003", "410108002001",
            "410108002002", "410108002003");

    static TestPlatform platform;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNoticeReachesEveryUnitBelowToItsTierAndTheIssuerSeesWhoSignedForIt() throws Exception {
        int unsignedBefore = unsigned(TOWNSHIP);
        Map<String, Object> notice = issue(DISTRICT, "supervisor." + DISTRICT, null, Map.of("title", "防汛：排查积水点",
                "body", "各街道今晚排查辖区积水点，结果报区指挥中心。", "reach", "township"));
        String id = (String) notice.get("id");
        assertThat(notice).containsEntry("units", 2).containsEntry("signed", 0).containsEntry("reach", "township")
                .containsEntry("issuedBy", "supervisor." + DISTRICT);

        // both townships receive it; their communities do not (it went down to the township tier)
        Map<String, Object> atTownship = arrived(TOWNSHIP, id);
        arrived(SIBLING_TOWNSHIP, id);
        assertThat(atTownship).containsEntry("fromUnit", DISTRICT).containsEntry("fromUnitName", "惠济区")
                .containsEntry("title", "防汛：排查积水点").containsEntry("signedAt", null);
        assertThat(ids(COMMUNITY, "")).doesNotContain(id);
        assertThat(unsigned(TOWNSHIP)).isEqualTo(unsignedBefore + 1);
        assertThat(ids(TOWNSHIP, "unsigned=true")).contains(id);

        // a handler of the township signs for it, with a reply: the district sees it, the other township not yet
        Map<String, Object> signed = sign(TOWNSHIP, id, "handler." + TOWNSHIP, "收到，今晚排查").expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(signed).containsEntry("signedBy", "handler." + TOWNSHIP).containsEntry("reply", "收到，今晚排查");
        assertThat(unsigned(TOWNSHIP)).isEqualTo(unsignedBefore);
        assertThat(ids(TOWNSHIP, "unsigned=true")).doesNotContain(id);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sent(DISTRICT, id).get("notice")).extracting(n -> ((Map<String, Object>) n).get("signed"))
                        .isEqualTo(1));
        List<Map<String, Object>> receipts = (List<Map<String, Object>>) sent(DISTRICT, id).get("receipts");
        assertThat(receipts).extracting(r -> r.get("unitCode")).containsExactly(TOWNSHIP, SIBLING_TOWNSHIP);
        assertThat(receipts.get(0)).containsEntry("signedBy", "handler." + TOWNSHIP)
                .containsEntry("reply", "收到，今晚排查").containsEntry("unitName", "老鸦陈街道办事处")
                .containsEntry("signedAt", signed.get("signedAt"));
        assertThat(receipts.get(1)).containsEntry("signedAt", null).containsEntry("late", false);
        assertThat(issued(DISTRICT)).anySatisfy(n -> assertThat(n).containsEntry("id", id).containsEntry("signed", 1)
                .containsEntry("unsigned", 1));

        // signed again by the same person (an answer lost): the same signature; by another: refused, saying who
        Map<String, Object> again = sign(TOWNSHIP, id, "handler." + TOWNSHIP, "收到，今晚排查").expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again.get("signedAt")).isEqualTo(signed.get("signedAt"));
        problem(sign(TOWNSHIP, id, "supervisor." + TOWNSHIP, null), 409, null, "handler." + TOWNSHIP);
        // a supervisor of the unit above reads the township's notice; one beside it does not
        platform.gatewayAs("supervisor." + DISTRICT).get().uri("/api/units/{u}/notices/{id}", TOWNSHIP, id).exchange()
                .expectStatus().isOk();
        problem(platform.gatewayAs("supervisor." + SIBLING_TOWNSHIP).get().uri("/api/units/{u}/notices/{id}",
                TOWNSHIP, id).exchange(), 403, null, null);
        // the signature arrived once: the district's count did not move with the second answer
        assertThat(((Map<String, Object>) sent(DISTRICT, id).get("notice")).get("signed")).isEqualTo(1);
        // the district reminds the township that has not signed (催签): only it is reminded, and counts it
        problem(platform.gatewayAs("handler." + DISTRICT).post().uri("/api/units/{u}/notices/sent/{id}/remind",
                DISTRICT, id).exchange(), 403, null, "SUPERVISOR or a LEADER");
        Map<String, Object> reminded = platform.gatewayAs("supervisor." + DISTRICT).post()
                .uri("/api/units/{u}/notices/sent/{id}/remind", DISTRICT, id).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(reminded).containsEntry("reminders", 1).containsEntry("unsigned", 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived(SIBLING_TOWNSHIP, id))
                .containsEntry("reminders", 1).containsEntry("remindedAt", reminded.get("remindedAt")));
        assertThat(arrived(TOWNSHIP, id)).containsEntry("reminders", 0);
        // once every unit signed, there is nobody to remind
        sign(SIBLING_TOWNSHIP, id, "supervisor." + SIBLING_TOWNSHIP, null).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(((Map<String, Object>) sent(DISTRICT, id)
                .get("notice")).get("signed")).isEqualTo(2));
        problem(platform.gatewayAs("supervisor." + DISTRICT).post().uri("/api/units/{u}/notices/sent/{id}/remind",
                DISTRICT, id).exchange(), 409, null, "nobody to remind");
        problem(platform.gatewayAs("supervisor." + DISTRICT).post().uri("/api/units/{u}/notices/sent/{id}/remind",
                DISTRICT, UUID.randomUUID()).exchange(), 404, null, "issued no notice");
        // what the nodes sent is what the contracts say
        assertThat(EventContractIT.publishedEventsMatchTheirSchemas(platform))
                .containsKeys("gridlink.notice.issued.v1", "gridlink.notice.signed.v1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNoticeToTheWholeSubtreeGoesOnceUnderItsKeyAndIsLateOnceItsTimePassed() {
        String key = "notice-" + UUID.randomUUID();
        Instant signBy = Instant.now().plusSeconds(3);
        Map<String, Object> body = new HashMap<>(Map.of("title", "创文周：背街小巷清扫", "body", "本周内完成背街小巷清扫。",
                "signBy", signBy.toString()));
        Map<String, Object> first = issue(DISTRICT, "supervisor." + DISTRICT, key, body);
        String id = (String) first.get("id");
        // the whole subtree: both townships and their six communities
        assertThat(first).containsEntry("units", 8).containsEntry("reach", "community");
        // sent again under its key (its answer lost): the same notice, kept and sent once
        Map<String, Object> second = issue(DISTRICT, "supervisor." + DISTRICT, key, body);
        assertThat(second.get("id")).isEqualTo(id);
        assertThat(issued(DISTRICT)).filteredOn(n -> id.equals(n.get("id"))).hasSize(1);
        // another notice under the key is refused, naming it
        Map<String, Object> other = new HashMap<>(body);
        other.put("title", "another");
        problem(post(DISTRICT, "supervisor." + DISTRICT, key, other), 422, "Idempotency-Key", id);

        for (String community : COMMUNITIES) {
            arrived(community, id);
        }
        arrived(TOWNSHIP, id);
        // every community holds it once
        assertThat(ids(COMMUNITY, "limit=200")).filteredOn(id::equals).hasSize(1);
        // a community's supervisor signs for it (late only if that came after its time: 逾期签收); the rest are late
        // once its time passed
        Map<String, Object> signed = sign(COMMUNITY, id, "supervisor." + COMMUNITY, null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        boolean signedLate = Instant.parse((String) signed.get("signedAt")).isAfter(signBy);
        assertThat(signed).containsEntry("late", signedLate);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> now = sent(DISTRICT, id);
            assertThat(((Map<String, Object>) now.get("notice"))).containsEntry("signed", 1).containsEntry("late", true);
            List<Map<String, Object>> receipts = (List<Map<String, Object>>) now.get("receipts");
            assertThat(receipts).hasSize(8);
            assertThat(receipts).filteredOn(r -> COMMUNITY.equals(r.get("unitCode")))
                    .singleElement().satisfies(r -> assertThat(r).containsEntry("late", signedLate)
                            .containsEntry("signedBy", "supervisor." + COMMUNITY).containsEntry("reply", null));
            assertThat(receipts).filteredOn(r -> !COMMUNITY.equals(r.get("unitCode")))
                    .allSatisfy(r -> assertThat(r).containsEntry("late", true).containsEntry("signedAt", null));
        });
        assertThat(platform.gatewayAs("supervisor." + TOWNSHIP).get().uri("/api/units/{u}/notices/{id}", TOWNSHIP, id)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody())
                .containsEntry("late", true);
        // sent again under its key once its time to sign by has passed (an answer lost for long): the notice kept, not
        // a refusal of a time in the past
        assertThat(issue(DISTRICT, "supervisor." + DISTRICT, key, body).get("id")).isEqualTo(id);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTownshipBetweenFollowsWhichOfItsCommunitiesSignedForTheDistrictsNotice() {
        Map<String, Object> notice = issue(DISTRICT, "leader." + DISTRICT, null, Map.of("title", "消防安全大排查",
                "body", "各社区本周完成九小场所消防安全排查。"));
        String id = (String) notice.get("id");
        for (String community : COMMUNITIES) {
            arrived(community, id);
        }
        Map<String, Object> before = arrived(TOWNSHIP, id);
        assertThat(before).containsEntry("reach", "community").containsEntry("belowUnits", 3)
                .containsEntry("belowSigned", 0);
        assertThat((List<Map<String, Object>>) before.get("below")).extracting(r -> r.get("unitCode"))
                .containsExactly("410108001001", "410108001002", "410108001003");

        // a community of 老鸦陈街道 signs for it: the township between sees it, with the reply; so does the district
        sign(COMMUNITY, id, "handler." + COMMUNITY, "已部署，周五前完成").expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> atTownship = arrived(TOWNSHIP, id);
            assertThat(atTownship).containsEntry("belowSigned", 1).containsEntry("signedAt", null);
            assertThat((List<Map<String, Object>>) atTownship.get("below"))
                    .filteredOn(r -> COMMUNITY.equals(r.get("unitCode"))).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("signedBy", "handler." + COMMUNITY)
                            .containsEntry("reply", "已部署，周五前完成").containsEntry("unitName", "老鸦陈社区"));
            assertThat(((Map<String, Object>) sent(DISTRICT, id).get("notice"))).containsEntry("signed", 1);
        });
        // the township's own signature is its own: it goes to the district, not into what it follows below
        sign(TOWNSHIP, id, "supervisor." + TOWNSHIP, null).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(((Map<String, Object>) sent(DISTRICT, id).get("notice"))).containsEntry("signed", 2));
        Map<String, Object> afterOwn = arrived(TOWNSHIP, id);
        assertThat(afterOwn).containsEntry("belowSigned", 1).containsEntry("belowUnits", 3);
        // the other township follows its own communities, none of which signed; a community has nobody below; the
        // list carries no receipts
        Map<String, Object> sibling = arrived(SIBLING_TOWNSHIP, id);
        assertThat((List<Map<String, Object>>) sibling.get("below")).extracting(r -> r.get("unitCode"))
                .containsExactly("410108002001", "410108002002", "410108002003");
        assertThat(sibling).containsEntry("belowSigned", 0);
        assertThat(arrived(COMMUNITY, id)).doesNotContainKeys("below", "belowUnits", "belowSigned")
                .containsEntry("reach", "community");
        List<Map<String, Object>> listed = platform.gatewayAs("supervisor." + TOWNSHIP).get()
                .uri("/api/units/{u}/notices?limit=200", TOWNSHIP).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(listed).filteredOn(n -> id.equals(n.get("id"))).singleElement()
                .satisfies(n -> assertThat(n).doesNotContainKey("below").containsEntry("reach", "community"));
        // a notice down to the townships only: a township has nobody below to follow
        String townshipsOnly = (String) issue(DISTRICT, "supervisor." + DISTRICT, null, Map.of("title", "街道周报",
                "body", "各街道周五报送本周工作。", "reach", "township")).get("id");
        assertThat(arrived(TOWNSHIP, townshipsOnly)).doesNotContainKey("below").containsEntry("reach", "township");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWithdrawnNoticeIsKeptAsWithdrawnByEveryUnitAndNobodySignsForItAnyMore() throws Exception {
        String supervisor = "supervisor." + DISTRICT;
        Instant signBy = Instant.now().plusSeconds(2);
        Map<String, Object> notice = issue(DISTRICT, supervisor, null, Map.of("title", "明日停水通知",
                "body", "明日8时至18时停水，请各街道通知到户。", "reach", "township", "signBy", signBy.toString()));
        String id = (String) notice.get("id");
        arrived(TOWNSHIP, id);
        arrived(SIBLING_TOWNSHIP, id);
        sign(TOWNSHIP, id, "handler." + TOWNSHIP, "已通知").expectStatus().isOk();
        int unsignedBefore = unsigned(SIBLING_TOWNSHIP);

        // refused: by a handler (403), without a reason (400), another unit's notice (404); nothing withdrawn
        String path = "/api/units/{u}/notices/sent/{id}/withdraw";
        problem(platform.gatewayAs("handler." + DISTRICT).post().uri(path, DISTRICT, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "x")).exchange(), 403, null, null);
        problem(platform.gatewayAs(supervisor).post().uri(path, DISTRICT, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", " ")).exchange(), 400, "reason", "says why");
        problem(platform.gatewayAs(supervisor).post().uri(path, DISTRICT, UUID.randomUUID())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "x")).exchange(), 404, null, null);
        assertThat(((Map<String, Object>) sent(DISTRICT, id).get("notice"))).containsEntry("withdrawnAt", null);

        // the district's supervisor withdraws it, saying why; sent again (an answer lost), the same withdrawal; by
        // another person or for another reason, a 409 naming it
        String reason = "水务公司通知停水取消";
        Map<String, Object> withdrawn = platform.gatewayAs(supervisor).post().uri(path, DISTRICT, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", reason)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(withdrawn).containsEntry("withdrawnBy", supervisor).containsEntry("withdrawReason", reason)
                .containsEntry("late", false);
        assertThat(platform.gatewayAs(supervisor).post().uri(path, DISTRICT, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", reason)).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody()).containsEntry("withdrawnAt", withdrawn.get("withdrawnAt"));
        problem(platform.gatewayAs("leader." + DISTRICT).post().uri(path, DISTRICT, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "another")).exchange(), 409, null,
                "withdrawn at");

        // both townships keep it as withdrawn, the one that signed too; the other signs for it no more, its to-do does
        // not count it, it is not listed as to sign for, and the district reminds nobody of it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(arrived(SIBLING_TOWNSHIP, id)).containsEntry("withdrawReason", reason).containsEntry("late", false)
                    .containsEntry("withdrawnAt", withdrawn.get("withdrawnAt"));
            assertThat(arrived(TOWNSHIP, id)).containsEntry("withdrawReason", reason)
                    .containsEntry("signedBy", "handler." + TOWNSHIP);
        });
        assertThat(unsigned(SIBLING_TOWNSHIP)).isEqualTo(unsignedBefore - 1);
        assertThat(ids(SIBLING_TOWNSHIP, "unsigned=true&limit=200")).doesNotContain(id);
        assertThat(ids(SIBLING_TOWNSHIP, "limit=200")).contains(id);
        problem(sign(SIBLING_TOWNSHIP, id, "supervisor." + SIBLING_TOWNSHIP, null), 409, null, "was withdrawn");
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/notices/sent/{id}/remind", DISTRICT, id)
                .exchange(), 409, null, "withdrawn");
        // past its time to sign by, the township that did not sign is not late: there is nothing to sign for
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(signBy));
        assertThat(arrived(SIBLING_TOWNSHIP, id)).containsEntry("late", false);
        Map<String, Object> after = sent(DISTRICT, id);
        assertThat(((Map<String, Object>) after.get("notice"))).containsEntry("reminders", 0).containsEntry("late", false)
                .containsEntry("signed", 1);
        assertThat((List<Map<String, Object>>) after.get("receipts")).allSatisfy(r -> assertThat(r).containsEntry("late", false));
        assertThat(EventContractIT.publishedEventsMatchTheirSchemas(platform)).containsKey("gridlink.notice.withdrawn.v1");
    }

    @Test
    void badInputAndTheWrongPeopleAreRefusedAndNothingIsIssued() {
        String supervisor = "supervisor." + DISTRICT;
        int before = issued(DISTRICT).size();
        problem(post(DISTRICT, supervisor, null, Map.of("body", "no title")), 400, "title", "title");
        problem(post(DISTRICT, supervisor, null, Map.of("title", " ", "body", "a blank title")), 400, "title", null);
        problem(post(DISTRICT, supervisor, null, Map.of("title", "t", "body", "b", "reach", "lunch")), 400, "reach",
                "district, township, community");
        problem(post(DISTRICT, supervisor, null, Map.of("title", "t", "body", "b", "reach", "district")), 422, "reach",
                "below");
        problem(post(DISTRICT, supervisor, null, Map.of("title", "t", "body", "b",
                "signBy", Instant.now().minusSeconds(60).toString())), 422, "signBy", "future");
        problem(post(DISTRICT, supervisor, null, Map.of("title", "t".repeat(201), "body", "b")), 422, "title", "200");
        problem(post(DISTRICT, supervisor, null, Map.of("title", "t", "body", "b", "signBy", "tomorrow")), 400, null,
                null);
        problem(post(DISTRICT, supervisor, "", Map.of("title", "t", "body", "b")), 400, "Idempotency-Key", null);
        // a community has no units below it
        problem(post(COMMUNITY, "supervisor." + COMMUNITY, null, Map.of("title", "t", "body", "b")), 422, "unit",
                "no units below");
        // not a supervisor or a leader of the unit: its handler, a supervisor above or beside it
        problem(post(DISTRICT, "handler." + DISTRICT, null, Map.of("title", "t", "body", "b")), 403, null,
                "SUPERVISOR or a LEADER");
        problem(post(TOWNSHIP, "supervisor." + DISTRICT, null, Map.of("title", "t", "body", "b")), 403, null,
                "own unit");
        problem(post(TOWNSHIP, "supervisor." + SIBLING_TOWNSHIP, null, Map.of("title", "t", "body", "b")), 403, null,
                null);
        assertThat(issued(DISTRICT)).hasSize(before);
        // signing: an unknown notice, a malformed id, a grid worker, a reply too long
        problem(sign(COMMUNITY, UUID.randomUUID().toString(), "supervisor." + COMMUNITY, null), 404, null,
                "received no notice");
        problem(sign(COMMUNITY, "not-an-id", "supervisor." + COMMUNITY, null), 400, "id", "notice id");
        problem(sign(COMMUNITY, UUID.randomUUID().toString(), "gridworker." + COMMUNITY + "-01", null), 403, null,
                "HANDLER");
        problem(sign(COMMUNITY, UUID.randomUUID().toString(), "supervisor." + COMMUNITY, "r".repeat(1001)), 422,
                "reply", "1000");
        problem(platform.gatewayAs("supervisor." + DISTRICT).get().uri("/api/units/{u}/notices/sent/{id}", DISTRICT,
                UUID.randomUUID()).exchange(), 404, null, "issued no notice");
        problem(platform.gatewayAs("supervisor." + DISTRICT).get().uri("/api/units/{u}/notices?unsigned=maybe",
                TOWNSHIP).exchange(), 400, "unsigned", null);
        problem(platform.gatewayAs("citizen.1").get().uri("/api/units/{u}/notices", COMMUNITY).exchange(), 403, null,
                null);
    }

    // ---- helpers ----

    @Test
    @SuppressWarnings("unchecked")
    void theUnitsThatHaveNotSignedByTheTimeToSignByAreRemindedOnceByTheIssuersNode() {
        Instant signBy = Instant.now().plus(Duration.ofHours(1));
        String id = (String) issue(DISTRICT, "supervisor." + DISTRICT, null, new HashMap<>(Map.of("title", "防汛值班表报送",
                "body", "各街道于今日18时前报送值班表。", "reach", "township", "signBy", signBy.toString()))).get("id");
        arrived(TOWNSHIP, id);
        arrived(SIBLING_TOWNSHIP, id);
        sign(TOWNSHIP, id, "supervisor." + TOWNSHIP, "已报送").expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                (Map<String, Object>) sent(DISTRICT, id).get("notice")).containsEntry("signed", 1));
        NoticeHandling notices = platform.node(Tier.DISTRICT).getBean(NoticeHandling.class);

        // before its time: nobody reminded
        notices.remindLate(signBy.minusSeconds(60)).block();
        assertThat((Map<String, Object>) sent(DISTRICT, id).get("notice")).containsEntry("reminders", 0)
                .containsEntry("lateRemindedAt", null);

        // its time passed: the district's node reminds, as the issuer would, the township that had not signed, not the
        // one that had
        assertThat(notices.remindLate(signBy.plusSeconds(60)).block()).isPositive();
        Map<String, Object> reminded = (Map<String, Object>) sent(DISTRICT, id).get("notice");
        assertThat(reminded).containsEntry("reminders", 1);
        assertThat(reminded.get("remindedAt")).isNotNull().isEqualTo(reminded.get("lateRemindedAt"));
        // the township reminded tells it from a person's reminder (lateRemindedAt, as the issuer's)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived(SIBLING_TOWNSHIP, id))
                .containsEntry("reminders", 1).containsEntry("remindedAt", reminded.get("remindedAt"))
                .containsEntry("lateRemindedAt", reminded.get("lateRemindedAt")));
        assertThat(arrived(TOWNSHIP, id)).containsEntry("reminders", 0).containsEntry("lateRemindedAt", null);
        // a person's reminder after it is theirs; the township still knows the node's came before
        Map<String, Object> again = (Map<String, Object>) platform.gatewayAs("supervisor." + DISTRICT).post()
                .uri("/api/units/{u}/notices/sent/{id}/remind", DISTRICT, id).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again).containsEntry("reminders", 2).containsEntry("lateRemindedAt", reminded.get("lateRemindedAt"));
        assertThat(again.get("remindedAt")).isNotEqualTo(again.get("lateRemindedAt"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived(SIBLING_TOWNSHIP, id))
                .containsEntry("reminders", 2).containsEntry("remindedAt", again.get("remindedAt"))
                .containsEntry("lateRemindedAt", reminded.get("lateRemindedAt")));

        // once: a round after it, however late, reminds nobody again; nor a withdrawn notice whose time passed
        notices.remindLate(signBy.plus(Duration.ofDays(2))).block();
        assertThat((Map<String, Object>) sent(DISTRICT, id).get("notice")).containsEntry("reminders", 2)
                .containsEntry("lateRemindedAt", reminded.get("lateRemindedAt"));
        String withdrawn = (String) issue(DISTRICT, "supervisor." + DISTRICT, null, new HashMap<>(Map.of("title", "作废通知",
                "body", "发错了。", "reach", "township", "signBy", signBy.toString()))).get("id");
        platform.gatewayAs("supervisor." + DISTRICT).post().uri("/api/units/{u}/notices/sent/{id}/withdraw", DISTRICT, withdrawn)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "发错了")).exchange()
                .expectStatus().isOk();
        notices.remindLate(signBy.plus(Duration.ofDays(3))).block();
        assertThat((Map<String, Object>) sent(DISTRICT, withdrawn).get("notice")).containsEntry("reminders", 0);
    }

    @Test
    void aTownshipBetweenRemindsThoseOfItsCommunitiesThatHaveNotSigned() throws Exception {
        String id = (String) issue(DISTRICT, "supervisor." + DISTRICT, null, Map.of("title", "冬季燃气安全排查",
                "body", "各社区本周完成燃气用户入户排查。")).get("id");
        for (String community : COMMUNITIES) {
            arrived(community, id);
        }
        arrived(TOWNSHIP, id);
        sign(COMMUNITY, id, "handler." + COMMUNITY, "已排查").expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived(TOWNSHIP, id))
                .containsEntry("belowSigned", 1));

        // refused, and nobody reminded: a handler, the district's supervisor at the township, a community (nobody
        // below it), an unknown notice, a malformed id
        String path = "/api/units/{u}/notices/{id}/remind";
        problem(platform.gatewayAs("handler." + TOWNSHIP).post().uri(path, TOWNSHIP, id).exchange(), 403, null,
                "SUPERVISOR or a LEADER");
        problem(platform.gatewayAs("supervisor." + DISTRICT).post().uri(path, TOWNSHIP, id).exchange(), 403, null,
                null);
        problem(platform.gatewayAs("supervisor." + COMMUNITY).post().uri(path, COMMUNITY, id).exchange(), 409, null,
                "no unit below");
        problem(platform.gatewayAs("supervisor." + TOWNSHIP).post().uri(path, TOWNSHIP, java.util.UUID.randomUUID())
                .exchange(), 404, null, null);
        problem(platform.gatewayAs("supervisor." + TOWNSHIP).post().uri(path, TOWNSHIP, "not-an-id").exchange(), 400,
                "id", null);
        assertThat(arrived(TOWNSHIP, id)).containsEntry("remindedBelow", 0);

        // 逐级催签: the township's leader presses its two communities that have not signed; not the one that did, not
        // the other township's, not the issuer's count
        Map<String, Object> reminded = platform.gatewayAs("leader." + TOWNSHIP).post().uri(path, TOWNSHIP, id)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(reminded).containsEntry("remindedBelow", 1).containsEntry("reminders", 0);
        assertThat(reminded.get("remindedBelowAt")).isNotNull();
        for (String pressed : List.of("410108001002", "410108001003")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived(pressed, id))
                    .containsEntry("remindersBetween", 1).containsEntry("reminders", 0)
                    .containsEntry("remindedAt", reminded.get("remindedBelowAt")));
        }
        assertThat(arrived(COMMUNITY, id)).containsEntry("remindersBetween", 0);
        assertThat(arrived("410108002001", id)).containsEntry("remindersBetween", 0);
        assertThat(sent(DISTRICT, id)).extracting(n -> ((Map<?, ?>) n.get("notice")).get("reminders")).isEqualTo(0);
        // again: counted again where they have not signed
        platform.gatewayAs("supervisor." + TOWNSHIP).post().uri(path, TOWNSHIP, id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.remindedBelow").isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived("410108001003", id))
                .containsEntry("remindersBetween", 2));
        // all three signed: nobody left to remind
        sign("410108001002", id, "handler.410108001002", null).expectStatus().isOk();
        sign("410108001003", id, "handler.410108001003", null).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived(TOWNSHIP, id))
                .containsEntry("belowSigned", 3));
        problem(platform.gatewayAs("supervisor." + TOWNSHIP).post().uri(path, TOWNSHIP, id).exchange(), 409, null,
                "has signed for it");
        platform.gatewayAs("supervisor." + TOWNSHIP).post().uri(path, TOWNSHIP, id).exchange().expectBody()
                .jsonPath("$.type").isEqualTo("urn:gridlink:problem:nobody-to-remind")
                .jsonPath("$.title").isEqualTo("Nobody to remind");
        assertThat(arrived(TOWNSHIP, id)).containsEntry("remindedBelow", 2);
        assertThat(EventContractIT.publishedEventsMatchTheirSchemas(platform)).containsKey("gridlink.notice.issued.v1");

        // a notice down to the townships only: nobody below to remind; a withdrawn one: nobody either
        String townshipsOnly = (String) issue(DISTRICT, "supervisor." + DISTRICT, null, Map.of("title", "街道月报",
                "body", "各街道月底报送。", "reach", "township")).get("id");
        arrived(TOWNSHIP, townshipsOnly);
        problem(platform.gatewayAs("supervisor." + TOWNSHIP).post().uri(path, TOWNSHIP, townshipsOnly).exchange(), 409,
                null, "no unit below");
        String withdrawn = (String) issue(DISTRICT, "supervisor." + DISTRICT, null, Map.of("title", "发错了",
                "body", "请忽略。")).get("id");
        arrived(TOWNSHIP, withdrawn);
        platform.gatewayAs("supervisor." + DISTRICT).post().uri("/api/units/{u}/notices/sent/{id}/withdraw", DISTRICT,
                        withdrawn).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "发错"))
                .exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arrived(TOWNSHIP, withdrawn).get(
                "withdrawnAt")).isNotNull());
        problem(platform.gatewayAs("supervisor." + TOWNSHIP).post().uri(path, TOWNSHIP, withdrawn).exchange(), 409,
                null, "withdrawn");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> issue(String unit, String person, String key, Map<String, Object> body) {
        return post(unit, person, key, body).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    static WebTestClient.ResponseSpec post(String unit, String person, String key, Map<String, Object> body) {
        WebTestClient.RequestBodySpec request = platform.gatewayAs(person).post().uri("/api/units/{u}/notices", unit)
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.bodyValue(body).exchange();
    }

    static WebTestClient.ResponseSpec sign(String unit, String id, String person, String reply) {
        Map<String, Object> body = new HashMap<>();
        if (reply != null) {
            body.put("reply", reply);
        }
        return platform.gatewayAs(person).post().uri("/api/units/{u}/notices/{id}/sign", unit, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** The notice as the unit received it, once it did. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> arrived(String unit, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            var result = platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/notices/{id}", unit, id)
                    .exchange().returnResult(Map.class);
            return result.getStatus().value() == 200 ? (Map<String, Object>) result.getResponseBody()
                    .blockFirst(Duration.ofSeconds(10)) : null;
        }, n -> n != null);
    }

    @SuppressWarnings("unchecked")
    static List<String> ids(String unit, String query) {
        List<Map<String, Object>> list = platform.gatewayAs("supervisor." + unit).get()
                .uri("/api/units/" + unit + "/notices?" + query).exchange().expectStatus().isOk().expectBody(List.class)
                .returnResult().getResponseBody();
        return list.stream().map(n -> (String) n.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> issued(String unit) {
        return platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/notices/sent?limit=200", unit)
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sent(String unit, String id) {
        return platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/notices/sent/{id}", unit, id)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** The unit's notices to sign for, as its to-do counts them. */
    @SuppressWarnings("unchecked")
    static int unsigned(String unit) {
        Map<String, Object> todo = platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/todo", unit)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return TodoIT.other(todo).getOrDefault("unsignedNotices", -1);
    }
}

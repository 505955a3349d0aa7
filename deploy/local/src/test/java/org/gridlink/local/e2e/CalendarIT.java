package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.networknt.schema.ValidationMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The city publishes a year of the working calendar (日历发布) and every tier runs its time limits on it, through the
 * gateway with real tokens: the nodes' clock is set to November 2030, so the years published (2030 and 2031, with
 * holidays made up for the test) touch no other test's time limits, and the city's node takes them for this year and
 * the next.
 */
class CalendarIT {

    static final String CITY = "410100000000";
    static final String JINSHUI = "410105000000";
    static final String JINGBALU = "410105001000";
    static final String JINGBALU_COMMUNITY = "410105001001";
    static final String ADMIN = "admin." + CITY;

    static TestPlatform platform;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
    }

    @AfterEach
    void systemTime() {
        platform.clock().release();
    }

    static Map<String, Object> year2030() {
        return Map.of("source", "测试通知 (made up for CalendarIT)",
                "holidays", List.of(Map.of("name", "测试假日", "nameEn", "Test holiday", "from", "2030-11-18",
                        "to", "2030-11-22")),
                "workingDays", List.of(Map.of("name", "测试调休上班", "nameEn", "Test make-up day",
                        "date", "2030-11-23")));
    }

    static Map<String, Object> year2031(String name) {
        return Map.of("holidays", List.of(Map.of("name", name, "from", "2031-01-01", "to", "2031-01-01")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aYearTheCityPublishesReachesEveryTierAndItsTimeLimitsRunOnIt() throws Exception {
        // Friday 2030-11-15 10:00 in Zhengzhou: the seeds know no holiday of 2030, and the staff are told so
        platform.clock().set(Instant.parse("2030-11-15T02:00:00Z"));
        Map<String, Object> unit = get("supervisor." + JINGBALU_COMMUNITY, "/api/units/" + JINGBALU_COMMUNITY);
        assertThat((String) ((Map<String, Object>) unit.get("calendar")).get("warning"))
                .contains("no public holidays of 2030", "publishes the State Council's holiday notice of 2030");
        String before = new Api(platform).reportCase(JINGBALU_COMMUNITY, "calendar: reported before");
        // 2 working days (GARBAGE_PILE's handling limit) from Friday 10:00: the end of Tuesday
        assertThat(new Api(platform).find(JINGBALU_COMMUNITY, before).get("dueAt")).isEqualTo("2030-11-19T09:30:00Z");

        Map<String, Object> published = publish(ADMIN, CITY, 2030, year2030()).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(published).containsEntry("year", 2030).containsEntry("revision", 1)
                .containsEntry("publishedBy", ADMIN).containsEntry("source", "测试通知 (made up for CalendarIT)");
        publish(ADMIN, CITY, 2031, year2031("测试元旦")).expectStatus().isOk();

        // every tier takes them up: the years, who published them, and the calendar known until the end of 2031
        for (String u : List.of(CITY, JINSHUI, JINGBALU, JINGBALU_COMMUNITY)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Object> calendar = get("supervisor." + u, "/api/units/" + u + "/calendar");
                Map<String, Object> y2030 = year(calendar, 2030);
                assertThat(y2030).containsEntry("revision", 1).containsEntry("publishedBy", ADMIN);
                assertThat((List<Map<String, Object>>) y2030.get("holidays")).singleElement()
                        .satisfies(h -> assertThat(h).containsEntry("from", "2030-11-18").containsEntry("to", "2030-11-22"));
                assertThat(year(calendar, 2031)).containsEntry("revision", 1);
                assertThat(year(calendar, 2025).get("revision")).as("the seeds' 2025").isNull();
                Map<String, Object> coverage = (Map<String, Object>) calendar.get("coverage");
                assertThat(coverage.get("coveredUntil")).isEqualTo("2031-12-31");
                assertThat(coverage.get("warning")).isNull();
            });
        }
        assertThat(((Map<String, Object>) get("supervisor." + JINGBALU_COMMUNITY, "/api/units/" + JINGBALU_COMMUNITY)
                .get("calendar")).get("warning")).isNull();

        // a case reported now runs on it: the test holiday's week is no working day, its make-up Saturday is (the end
        // of the next Monday)
        String after = new Api(platform).reportCase(JINGBALU_COMMUNITY, "calendar: reported after");
        assertThat(new Api(platform).find(JINGBALU_COMMUNITY, after).get("dueAt")).isEqualTo("2030-11-25T09:30:00Z");
        // a due time computed before stays as it was
        assertThat(new Api(platform).find(JINGBALU_COMMUNITY, before).get("dueAt")).isEqualTo("2030-11-19T09:30:00Z");

        // the same notice again (an answer lost) answers the one kept and sends nothing; another is the next revision
        assertThat(publish(ADMIN, CITY, 2030, year2030()).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody()).containsEntry("revision", 1).containsEntry("publishedAt", published.get("publishedAt"));
        publish(ADMIN, CITY, 2031, year2031("测试元旦 (更正)")).expectStatus().isOk().expectBody()
                .jsonPath("$.revision").isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(year(get("supervisor." + JINGBALU_COMMUNITY,
                "/api/units/" + JINGBALU_COMMUNITY + "/calendar"), 2031)).containsEntry("revision", 2));

        // its publications (日历发布记录), newest first, at the city and at every node that read them: who, when, what
        for (String[] at : new String[][] {{ADMIN, CITY}, {"supervisor." + JINGBALU_COMMUNITY, JINGBALU_COMMUNITY}}) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<Map<String, Object>> revisions = getList(at[0], "/api/units/" + at[1] + "/calendar/2031/revisions");
                assertThat(revisions).extracting(r -> r.get("revision")).containsExactly(2, 1);
                assertThat(revisions).extracting(r -> ((List<Map<String, Object>>) r.get("holidays")).get(0).get("name"))
                        .containsExactly("测试元旦 (更正)", "测试元旦");
                assertThat(revisions).allSatisfy(r -> assertThat(r).containsEntry("publishedBy", ADMIN)
                        .containsKey("publishedAt"));
            });
        }
        assertThat(getList(ADMIN, "/api/units/" + CITY + "/calendar/2029/revisions")).isEmpty();
        platform.gatewayAs(ADMIN).get().uri("/api/units/{u}/calendar/{y}/revisions", CITY, "twenty").exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        // on the topic: one publication of 2030, two of 2031, each as its schema says
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(platform.kafka().bootstrapServers(),
                "gridlink.calendar");
        assertThat(records).filteredOn(r -> "2030".equals(r.key())).hasSize(1);
        assertThat(records).filteredOn(r -> "2031".equals(r.key())).hasSize(2);
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(TopicReader.header(r, "ce_type")).isEqualTo("gridlink.calendar.published.v1");
            assertThat(TopicReader.header(r, "ce_source")).isEqualTo("/units/" + CITY);
            assertThat(TopicReader.header(r, "ce_subject")).isEqualTo(r.key());
            var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value());
            java.util.Set<ValidationMessage> errors = EventContractIT.schema("gridlink.calendar.published.v1")
                    .validate(body);
            assertThat(errors).as("%s", body).isEmpty();
            assertThat(body.path("year").asText()).isEqualTo(r.key());
        }

        // every node keeps what it took up in its own database: a node restarted reads it from there
        for (String db : List.of("gridlink_city", "gridlink_district", "gridlink_township", "gridlink_community")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                try (var c = platform.jdbc(db); var s = c.createStatement();
                     var rs = s.executeQuery("select year, revision from calendar_year where year in (2030, 2031)"
                             + " order by year")) {
                    assertThat(rs.next()).as(db).isTrue();
                    assertThat(rs.getInt(2)).as(db + " 2030").isEqualTo(1);
                    assertThat(rs.next()).as(db).isTrue();
                    assertThat(rs.getInt(2)).as(db + " 2031").isEqualTo(2);
                }
            });
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void publicationsOfAYearAtTheSameMomentAreEachTheNextRevision() {
        // January 2034: 2035 has no publication yet, so there is no row of it to lock
        platform.clock().set(Instant.parse("2034-01-10T02:00:00Z"));
        List<Integer> revisions = reactor.core.publisher.Flux.range(0, 6).flatMap(i -> reactor.core.publisher.Mono
                .fromCallable(() -> (Map<String, Object>) publish(ADMIN, CITY, 2035, year2035("测试假日 " + i))
                        .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody())
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 6)
                .map(p -> ((Number) p.get("revision")).intValue()).collectList().block(Duration.ofSeconds(60));
        assertThat(revisions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
        // the last one kept is what every node ends with, and each was sent once
        Map<String, Object> kept = year(get(ADMIN, "/api/units/" + CITY + "/calendar"), 2035);
        assertThat(kept).containsEntry("revision", 6);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(year(get("supervisor." + JINGBALU_COMMUNITY,
                "/api/units/" + JINGBALU_COMMUNITY + "/calendar"), 2035)).containsEntry("revision", 6)
                .containsEntry("holidays", kept.get("holidays")));
        assertThat(TopicReader.readAll(platform.kafka().bootstrapServers(), "gridlink.calendar"))
                .filteredOn(r -> "2035".equals(r.key())).hasSize(6);
        // every one is among the year's revisions, at the city and at the community (those read after a newer one
        // too), each once, with the days it was published with
        List<Map<String, Object>> atCity = getList(ADMIN, "/api/units/" + CITY + "/calendar/2035/revisions");
        assertThat(atCity).extracting(r -> r.get("revision")).containsExactly(6, 5, 4, 3, 2, 1);
        assertThat(atCity).extracting(r -> String.valueOf(r.get("holidays"))).doesNotHaveDuplicates();
        assertThat(atCity.get(0).get("holidays")).isEqualTo(kept.get("holidays"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(getList("supervisor." + JINGBALU_COMMUNITY,
                "/api/units/" + JINGBALU_COMMUNITY + "/calendar/2035/revisions")).isEqualTo(atCity));
    }

    static Map<String, Object> year2035(String name) {
        return Map.of("holidays", List.of(Map.of("name", name, "from", "2035-05-01", "to", "2035-05-03")));
    }

    @Test
    void aPublicationThatIsNotTheCityAdministratorsOrThatDoesNotFitIsRefusedAndChangesNothing() {
        platform.clock().set(Instant.parse("2030-11-15T02:00:00Z"));
        Map<String, Object> good = year2030();
        // not an administrator of the city
        Api.problem(publish("supervisor." + CITY, CITY, 2030, good), 403, null, "ADMIN of the city");
        Api.problem(publish("leader." + CITY, CITY, 2030, good), 403, null, "ADMIN of the city");
        // not the city
        Api.problem(publish(ADMIN, JINSHUI, 2030, good), 422, "code", "the working calendar is the city's");
        // a year long past, or too far ahead
        Api.problem(publish(ADMIN, CITY, 2029, Map.of("holidays", List.of(Map.of("name", "x", "from", "2029-05-01",
                "to", "2029-05-01")))), 422, "year", "2030 or 2031, not 2029");
        Api.problem(publish(ADMIN, CITY, 2032, Map.of("holidays", List.of(Map.of("name", "x", "from", "2032-05-03",
                "to", "2032-05-03")))), 422, "year", "not 2032");
        Api.problem(publish(ADMIN, CITY, "twenty-thirty", good), 400, "year", "is not a year");
        // what the notice says is missing or does not fit
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("workingDays", List.of())), 400, "holidays", "at least one");
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("holidays", List.of(Map.of("name", "x", "from", "2031-05-01")))),
                400, "holidays[0]", "needs from and to");
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("holidays", List.of(Map.of("from", "2031-05-01",
                "to", "2031-05-02")))), 400, "holidays[0].name", "needs its name");
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("holidays", List.of(Map.of("name", "x", "from", "2031-05-03",
                "to", "2031-05-01")))), 422, "holidays[0]", "ends (2031-05-01) before it starts");
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("holidays", List.of(Map.of("name", "去年", "from", "2030-10-01",
                "to", "2030-10-02")))), 422, "holidays", "is listed under year 2031");
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("holidays", List.of(Map.of("name", "x", "from", "2031-05-01",
                "to", "2031-05-02")), "workingDays", List.of(Map.of("name", "y", "date", "2031-05-06")))), 422,
                "holidays", "TUESDAY");
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("holidays", List.of(Map.of("name", "x", "from", "2031-05-01",
                "to", "2031-05-05"), Map.of("name", "y", "from", "2031-05-05", "to", "2031-05-06")))), 422, "holidays",
                "2031-05-05 is in two holidays");
        Api.problem(publish(ADMIN, CITY, 2031, Map.of("holidays", List.of(Map.of("name", "x", "from", "2031-13-01",
                "to", "2031-13-02")))), 400, null, null);
        Api.problem(platform.gatewayAs(ADMIN).put().uri("/api/units/{u}/calendar/2031", CITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"holidays\": [").exchange(), 400, null, null);
        Map<String, Object> tooMany = new HashMap<>();
        tooMany.put("holidays", java.util.stream.IntStream.range(0, 41).mapToObj(i -> Map.of("name", "x" + i,
                "from", java.time.LocalDate.of(2031, 3, 1).plusDays(i).toString(),
                "to", java.time.LocalDate.of(2031, 3, 1).plusDays(i).toString())).toList());
        Api.problem(publish(ADMIN, CITY, 2031, tooMany), 422, "holidays", "at most 40");

        // nothing of it was kept: the city's calendar has no 2031 of these, and nothing was sent
        Map<String, Object> calendar = get(ADMIN, "/api/units/" + CITY + "/calendar");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> years = (List<Map<String, Object>>) calendar.get("years");
        assertThat(years).noneMatch(y -> String.valueOf(y.get("holidays")).contains("name=x"));
        assertThat(TopicReader.readAll(platform.kafka().bootstrapServers(), "gridlink.calendar"))
                .noneMatch(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("\"x\""));
    }

    private static WebTestClient.ResponseSpec publish(String user, String unit, Object year, Map<String, Object> body) {
        return platform.gatewayAs(user).put().uri("/api/units/{u}/calendar/{y}", unit, year)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> get(String user, String path) {
        return platform.gatewayAs(user).get().uri(path).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> getList(String user, String path) {
        return platform.gatewayAs(user).get().uri(path).exchange().expectStatus().isOk().expectBodyList(Map.class)
                .returnResult().getResponseBody().stream().map(m -> (Map<String, Object>) m).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> year(Map<String, Object> calendar, int year) {
        return ((List<Map<String, Object>>) calendar.get("years")).stream()
                .filter(y -> ((Number) y.get("year")).intValue() == year).findFirst()
                .orElseThrow(() -> new AssertionError("no year " + year + " in " + calendar.get("years")));
    }
}

package org.gridlink.kernel.support.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.gridlink.kernel.config.GridlinkProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

@ExtendWith(OutputCaptureExtension.class)
class HousekeepingTest {

    static final GridlinkProperties.Retention THIRTY_DAYS =
            new GridlinkProperties.Retention(Duration.ofDays(30), Duration.ofDays(30), Duration.ofHours(1));

    @Test
    void atStartItWarnsWhenKafkaKeepsTheInboxTopicLongerThanTheInboxItsIds(CapturedOutput output) {
        Housekeeping longer = housekeeping(Mono.just(Duration.ofDays(60)));
        longer.start();
        try {
            assertThat(output.getOut()).contains("WARN").contains("the inbox topic keeps its records PT1440H")
                    .contains("the inbox its ids only PT720H");
        } finally {
            longer.stop();
        }
    }

    @Test
    void atStartItSaysNothingWhenTheInboxOutlastsTheTopicAndOnlyNotesATopicItCouldNotRead(CapturedOutput output) {
        Housekeeping shorter = housekeeping(Mono.just(Duration.ofDays(7)));
        shorter.start();
        shorter.stop();
        assertThat(output.getOut()).doesNotContain("keeps its records");
        Housekeeping unread = housekeeping(Mono.error(new IllegalStateException("no broker")));
        unread.start();
        unread.stop();
        assertThat(output.getOut()).doesNotContain("keeps its records").contains("the inbox topic's retention could not be read (java.lang.IllegalStateException: no broker)");
    }

    @Test
    void aRoundThatFailsIsCountedAndSaidAndTheNextComesAllTheSame(CapturedOutput output) {
        // a database client that answers nothing: every round fails
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Housekeeping failing = new Housekeeping(mock(DatabaseClient.class),
                new GridlinkProperties.Retention(Duration.ofDays(30), Duration.ofDays(30), Duration.ofMillis(20)),
                Duration.ofDays(1), 100, Mono.empty(), meters);
        failing.start();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(meters.get("gridlink.retention.failed").counter().count()).isGreaterThanOrEqualTo(2));
            assertThat(failing.isRunning()).isTrue();
            assertThat(output.getOut()).contains("housekeeping: java.lang.NullPointerException");
        } finally {
            failing.stop();
        }
        assertThat(failing.isRunning()).isFalse();
    }

    private static Housekeeping housekeeping(Mono<Duration> topicRetention) {
        // nothing here reaches the database: the first round comes within the hour
        return new Housekeeping(mock(DatabaseClient.class), THIRTY_DAYS, Duration.ofDays(1), 100, topicRetention,
                new SimpleMeterRegistry());
    }

    @Test
    void theInboxMustOutlastTheInboxTopicsRecords() {
        assertThat(Housekeeping.whyTheInboxMayNotOutlast(Duration.ofDays(30), Duration.ofDays(7))).isEmpty();
        assertThat(Housekeeping.whyTheInboxMayNotOutlast(Duration.ofDays(7), Duration.ofDays(7)))
                .get(InstanceOfAssertFactories.STRING)
                .contains("keeps its records PT168H").contains("the inbox its ids only PT168H");
        assertThat(Housekeeping.whyTheInboxMayNotOutlast(Duration.ofDays(30), Duration.ofMillis(-1)))
                .get(InstanceOfAssertFactories.STRING).contains("for ever");
    }

    @Test
    void theFirstRoundComesWithinTheFirstIntervalAtARandomPoint() {
        Set<Duration> firsts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Duration first = Housekeeping.firstRound(Duration.ofHours(1));
            assertThat(first).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
            firsts.add(first);
        }
        assertThat(firsts).hasSizeGreaterThan(90);
    }
}

package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.gridlink.kernel.units.UnitDirectory;
import org.gridlink.kernel.units.seeds.SeedLoader;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.kafka.listener.BatchListenerFailedException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A township node's listener of unit reports: a poll's reports are kept first, then each parent whose subtree changed
 * is marked once (two children's reports that arrive together go up in one report of their parent).
 */
class UnitReportListenerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UnitDirectory SEEDS = new SeedLoader(new DefaultResourceLoader(), JSON)
            .load("classpath:seeds/zhengzhou");
    private static final String TOWNSHIP = "410105001000";
    private static final Instant NOW = Instant.parse("2026-11-30T04:00:00Z");

    private final UnitReportStore store = mock(UnitReportStore.class);
    private final UnitReportPublisher publisher = mock(UnitReportPublisher.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final UnitReportListener listener = new UnitReportListener(store, publisher,
            new NodeUnits(Tier.TOWNSHIP, SEEDS), JSON, Clock.fixed(NOW, ZoneOffset.UTC), meters);

    @Test
    void aPollsReportsAreKeptThenTheirParentIsMarkedOnce() {
        when(store.keepIfNewer(any())).thenReturn(Mono.just(true));

        listener.onMessages(List.of(report("410105001001", 7), report("410105001002", 9)));

        InOrder order = inOrder(store, publisher);
        order.verify(store, times(2)).keepIfNewer(any());
        order.verify(publisher).markChanged(TOWNSHIP);
        verify(publisher, times(1)).markChanged(any());
        assertThat(meters.get("gridlink.stats.report.lag").timer().count()).isEqualTo(2);
    }

    @Test
    void aReportThatChangesNothingMarksNothing() {
        when(store.keepIfNewer(any())).thenReturn(Mono.just(false));

        listener.onMessages(List.of(report("410105001001", 7)));

        verify(publisher, never()).markChanged(any());
    }

    @Test
    void aReportThatCannotBeReadIsNamedByItsIndexAndTheParentsOfThoseKeptBeforeItAreMarked() {
        when(store.keepIfNewer(any())).thenReturn(Mono.just(true));
        ConsumerRecord<String, byte[]> broken = report("410105001002", 9);
        ConsumerRecord<String, byte[]> unreadable = new ConsumerRecord<>(UnitReport.TOPIC, 0, 2, "410105001003",
                "not json".getBytes(StandardCharsets.UTF_8));
        broken.headers().forEach(h -> unreadable.headers().add(h));

        assertThatThrownBy(() -> listener.onMessages(List.of(report("410105001001", 7), unreadable, broken)))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> {
                    assertThat(e.getIndex()).isEqualTo(1);
                    assertThat(e.getCause()).isInstanceOf(MalformedEventException.class);
                });
        verify(store, times(1)).keepIfNewer(any());
        verify(publisher).markChanged(TOWNSHIP);
    }

    @Test
    void reportsToUnitsAnotherNodeServesAndTombstonesAreSkipped() {
        listener.onMessages(List.of(report(TOWNSHIP, 3), // a township's report goes to the district node
                new ConsumerRecord<>(UnitReport.TOPIC, 0, 5, "410105001001", null)));

        verify(store, never()).keepIfNewer(any());
        verify(publisher, never()).markChanged(any());
    }

    @Test
    void theDeliveryOfReportsAddressedHereIsTimedFromTheirKafkaTimestamp() {
        when(store.keepIfNewer(any())).thenReturn(Mono.just(true));

        listener.onMessages(List.of(stamped(report("410105001001", 7), 40), stamped(report("410105001002", 9), 120),
                stamped(report(TOWNSHIP, 3), 5000), // to the district node: not timed here
                report("410105001003", 4))); // no timestamp: not timed

        var delivery = meters.get("gridlink.stats.report.delivery").timer();
        assertThat(delivery.count()).isEqualTo(2);
        assertThat(delivery.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(160.0);
        assertThat(delivery.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(120.0);
    }

    /** The record as the broker gives it, handed to the sender's producer {@code millisAgo} before NOW. */
    private static ConsumerRecord<String, byte[]> stamped(ConsumerRecord<String, byte[]> r, long millisAgo) {
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), NOW.toEpochMilli() - millisAgo,
                TimestampType.CREATE_TIME, -1, -1, r.key(), r.value(), r.headers(), Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> report(String unit, long sequence) {
        UnitReport report = new UnitReport(unit, null, NOW.minusMillis(250), sequence, "Asia/Shanghai",
                UnitReport.Section.empty(), new UnitReport.Section(Map.of("status.HANDLING", 1L), List.of()), List.of());
        CloudEvent event = new CloudEvent(UUID.randomUUID(), UnitReport.TYPE, "/units/" + unit, unit, NOW,
                UnitReport.SCHEMA, unit, JSON.writeValueAsBytes(report));
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>(UnitReport.TOPIC, 0, sequence, unit, event.data());
        event.headers().forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }
}

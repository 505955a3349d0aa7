package org.gridlink.kernel.cases.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import reactor.core.publisher.Mono;

class CaseEventListenerTest {

    final CaseHandling handling = mock(CaseHandling.class);
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final CaseEventListener listener = new CaseEventListener(handling, "gridlink.township.inbox", "gridlink-township",
            1, Clock.fixed(NOW, ZoneOffset.UTC), meters);
    final List<UUID> appliedOneByOne = new ArrayList<>();

    @Test
    void aPollsRecordsAreAppliedInOneTransactionInTheirOrder() {
        List<ConsumerRecord<String, byte[]>> records = List.of(record(0, true), record(1, true), record(2, true));
        when(handling.handleAll(anyList())).thenReturn(Mono.just(3));

        listener.onMessages(records);

        verify(handling).handleAll(org.mockito.ArgumentMatchers.argThat(events -> events.stream().map(CloudEvent::id)
                .toList().equals(records.stream().map(CaseEventListenerTest::id).toList())));
        verify(handling, never()).handle(any());
        assertThat(meters.get("gridlink.inbox.batch.size").summary().totalAmount()).isEqualTo(3);
        assertThat(meters.get("gridlink.inbox.batch.failed").counter().count()).isZero();
    }

    @Test
    void aFailedBatchIsAppliedOneByOneAndTheFailingRecordIsNamedByItsIndex() {
        List<ConsumerRecord<String, byte[]>> records = List.of(record(0, true), record(1, true), record(2, true));
        when(handling.handleAll(anyList())).thenReturn(Mono.error(new IllegalStateException("the second is refused")));
        UUID refused = id(records.get(1));
        when(handling.handle(any())).thenAnswer(call -> {
            CloudEvent event = call.getArgument(0);
            if (event.id().equals(refused)) {
                return Mono.error(new MalformedEventException("refused"));
            }
            appliedOneByOne.add(event.id());
            return Mono.just(true);
        });

        assertThatThrownBy(() -> listener.onMessages(records))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> {
                    assertThat(e.getIndex()).isEqualTo(1);
                    assertThat(e.getCause()).isInstanceOf(MalformedEventException.class);
                });
        // the one before it is applied on its own; the one after it is left for the redelivery
        assertThat(appliedOneByOne).containsExactly(id(records.get(0)));
        assertThat(meters.get("gridlink.inbox.batch.failed").counter().count()).isEqualTo(1);
    }

    @Test
    void aRecordThatIsNotACloudEventFailsTheBatchWithoutApplyingAnyAndIsNamed() {
        List<ConsumerRecord<String, byte[]>> records = List.of(record(0, true), record(1, false), record(2, true));
        when(handling.handle(any())).thenAnswer(call -> {
            appliedOneByOne.add(((CloudEvent) call.getArgument(0)).id());
            return Mono.just(true);
        });

        assertThatThrownBy(() -> listener.onMessages(records))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> assertThat(e.getIndex()).isEqualTo(1));
        verify(handling, never()).handleAll(anyList());
        assertThat(appliedOneByOne).containsExactly(id(records.get(0)));
    }

    @Test
    void aSingleRecordIsAppliedOnItsOwn() {
        when(handling.handle(any())).thenReturn(Mono.just(false));

        listener.onMessages(List.of(record(0, true)));

        verify(handling).handle(any());
        verify(handling, never()).handleAll(anyList());
    }

    @Test
    void eachAppliedEventIsTimedFromItsChangeAndItsRecordFromItsKafkaTimestamp() {
        List<ConsumerRecord<String, byte[]>> records = List.of(
                record(0, true, NOW.minusMillis(300), NOW.minusMillis(120)),
                record(1, true, NOW.minusMillis(100), NOW.minusMillis(40)));
        when(handling.handleAll(anyList())).thenReturn(Mono.just(2));

        listener.onMessages(records);

        assertThat(meters.get("gridlink.inbox.lag").timer().count()).isEqualTo(2);
        assertThat(meters.get("gridlink.inbox.lag").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(400);
        assertThat(meters.get("gridlink.inbox.delivery").timer().count()).isEqualTo(2);
        assertThat(meters.get("gridlink.inbox.delivery").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(160);
    }

    @Test
    void aRedeliveryIsNotTimedAsIfItWereNew() {
        when(handling.handle(any())).thenReturn(Mono.just(false));
        listener.onMessages(List.of(record(0, true, NOW.minusSeconds(3600), NOW.minusMillis(5))));

        when(handling.handleAll(anyList())).thenReturn(Mono.just(1));
        listener.onMessages(List.of(record(1, true, NOW.minusSeconds(3600), NOW.minusMillis(5)),
                record(2, true, NOW.minusMillis(50), NOW.minusMillis(5))));

        // the record still came, so its delivery is timed; but neither the copy nor its batch is timed as lag
        assertThat(meters.get("gridlink.inbox.lag").timer().count()).isZero();
        assertThat(meters.get("gridlink.inbox.delivery").timer().count()).isEqualTo(3);
    }

    @Test
    void anEventFromAClockAheadOfThisOneIsNotTimed() {
        when(handling.handle(any())).thenReturn(Mono.just(true));

        listener.onMessages(List.of(record(0, true, NOW.plus(Duration.ofSeconds(2)), NOW.plusSeconds(2))));

        assertThat(meters.get("gridlink.inbox.lag").timer().count()).isZero();
        assertThat(meters.get("gridlink.inbox.delivery").timer().count()).isZero();
    }

    private static ConsumerRecord<String, byte[]> record(long offset, boolean cloudEvent) {
        return record(offset, cloudEvent, NOW.minusMillis(10), NOW.minusMillis(5));
    }

    private static ConsumerRecord<String, byte[]> record(long offset, boolean cloudEvent, Instant changed,
                                                        Instant produced) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("gridlink.township.inbox", 0, offset,
                produced.toEpochMilli(), TimestampType.CREATE_TIME, 0, 0,
                "410105001000", "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                Optional.empty());
        if (cloudEvent) {
            r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        }
        r.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_type", "gridlink.case.progressed.v1".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_source", "/units/410105001001".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_time", changed.toString().getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static UUID id(ConsumerRecord<String, byte[]> r) {
        return UUID.fromString(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
    }
}

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import reactor.core.publisher.Mono;

class CaseEventListenerTest {

    final CaseHandling handling = mock(CaseHandling.class);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final CaseEventListener listener = new CaseEventListener(handling, "gridlink.township.inbox", "gridlink-township",
            1, meters);
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

    private static ConsumerRecord<String, byte[]> record(long offset, boolean cloudEvent) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("gridlink.township.inbox", 0, offset, "410105001000",
                "{}".getBytes(StandardCharsets.UTF_8));
        if (cloudEvent) {
            r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        }
        r.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_type", "gridlink.case.progressed.v1".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_source", "/units/410105001001".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static UUID id(ConsumerRecord<String, byte[]> r) {
        return UUID.fromString(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
    }
}

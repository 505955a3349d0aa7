package org.gridlink.kernel.support.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/** A case's trace carried by the events it sends and continued by the node that applies them, on OpenTelemetry's SDK. */
class EventTracingTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00f067aa0ba902b7";
    static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    final EventTracing tracing = new EventTracing(
            new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { }),
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void anEventIsAppliedInASpanOfItsTraceAndWhatThatSendsCarriesIt() {
        CloudEvent received = event().withTraceparent("00-" + TRACE + "-" + PARENT + "-01");

        String sentOn = tracing.applying(received, Mono.deferContextual(context ->
                Mono.justOrEmpty(tracing.stamped(event(), context).traceparent()))).block();

        Matcher m = TRACEPARENT.matcher(sentOn);
        assertThat(m.matches()).as(sentOn).isTrue();
        assertThat(m.group(1)).isEqualTo(TRACE);
        assertThat(m.group(2)).isNotEqualTo(PARENT);
        assertThat(m.group(3)).isEqualTo("01");
        // the span it was applied in, ended, a child of the sender's, named by the event's type
        assertThat(exporter.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("apply gridlink.case.progressed.v1");
            assertThat(span.getTraceId()).isEqualTo(TRACE);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT);
            assertThat(span.getSpanId()).isEqualTo(m.group(2));
            assertThat(span.getAttributes().asMap().toString()).contains("gridlink.case.id", received.subject());
        });
    }

    @Test
    void anEventWithoutATraceOrWithABrokenOneStartsATraceOfItsOwn() {
        for (CloudEvent received : List.of(event(), event().withTraceparent("not-a-trace"))) {
            String sentOn = tracing.applying(received, Mono.deferContextual(context ->
                    Mono.justOrEmpty(tracing.traceparent(context)))).block();

            assertThat(sentOn).matches(TRACEPARENT).doesNotContain(TRACE);
        }
        assertThat(exporter.getFinishedSpanItems()).hasSize(2);
        assertThat(exporter.getFinishedSpanItems().get(0).getTraceId())
                .isNotEqualTo(exporter.getFinishedSpanItems().get(1).getTraceId());
    }

    @Test
    void workNoRequestOrEventStartedSendsNoTraceAndNoTracerNone() {
        CloudEvent sent = event();

        assertThat(tracing.stamped(sent, Context.empty())).isSameAs(sent);
        assertThat(EventTracing.NONE.applying(event().withTraceparent("00-" + TRACE + "-" + PARENT + "-01"),
                Mono.deferContextual(context -> Mono.justOrEmpty(EventTracing.NONE.traceparent(context)))).block())
                .isNull();
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void theTraceTravelsAsCloudEventsDistributedTracingExtension() {
        CloudEvent sent = event().withTraceparent("00-" + TRACE + "-" + PARENT + "-01");
        RecordHeaders headers = new RecordHeaders();
        sent.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));

        assertThat(sent.headers()).containsEntry("ce_traceparent", "00-" + TRACE + "-" + PARENT + "-01");
        assertThat(CloudEvent.from(sent.target(), headers, sent.data()).traceparent()).isEqualTo(sent.traceparent());
        assertThat(event().headers()).doesNotContainKey("ce_traceparent");
    }

    private static CloudEvent event() {
        return new CloudEvent(UUID.randomUUID(), "gridlink.case.progressed.v1", "/units/410105001000",
                UUID.randomUUID().toString(), Instant.parse("2026-12-05T08:00:00Z"), null, "410105001001",
                "{}".getBytes(StandardCharsets.UTF_8));
    }
}

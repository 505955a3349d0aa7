package org.gridlink.kernel.support.events;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The trace a case's change belongs to, carried across the tiers with the events it sends (docs/tracing.md). A change a
 * person makes runs in the span of their HTTP request (Spring's server observation, parented on the request's
 * {@code traceparent}); the events it sends carry that span's W3C trace context as their {@code traceparent}
 * (CloudEvents' distributed tracing extension: the {@code ce_traceparent} header), written into the outbox with the
 * change. A node applies each event it consumes in a span of its own, a child of the event's, and the events that
 * change sends on carry that span: one trace follows a case's change from the request through every tier it reaches.
 * <p>
 * Without a tracer it does nothing: events carry no trace and are applied as they come.
 */
public class EventTracing {

    /** Does nothing: no tracer. */
    public static final EventTracing NONE = new EventTracing(null, null);

    /** The W3C Trace Context header, as {@link Propagator} reads and writes it. */
    static final String TRACEPARENT = "traceparent";

    /** The Reactor context's key for the span an event is applied in. */
    private static final Object SPAN = EventTracing.class.getName() + ".span";

    private static final Propagator.Getter<CloudEvent> FROM_EVENT = (event, key) ->
            TRACEPARENT.equals(key) ? event.traceparent() : null;

    private final Tracer tracer;
    private final Propagator propagator;

    public EventTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The events, each carrying the trace of the work running in {@code context} (as they are, if none). */
    public List<CloudEvent> stamped(List<CloudEvent> events, ContextView context) {
        if (events.isEmpty()) {
            return events;
        }
        String traceparent = traceparent(context);
        return traceparent == null ? events : events.stream().map(e -> e.withTraceparent(traceparent)).toList();
    }

    /** The event, carrying the trace of the work running in {@code context} (as it is, if none). */
    public CloudEvent stamped(CloudEvent event, ContextView context) {
        String traceparent = traceparent(context);
        return traceparent == null ? event : event.withTraceparent(traceparent);
    }

    /**
     * The W3C {@code traceparent} of the span the work in {@code context} runs in: an event's being applied, else the
     * HTTP request's; null for none (no tracer, or work no request or event started, such as the overdue scan).
     */
    public String traceparent(ContextView context) {
        if (tracer == null) {
            return null;
        }
        TraceContext current = context.<Span>getOrEmpty(SPAN).map(Span::context).orElseGet(() -> requestSpan(context));
        if (current == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        propagator.inject(current, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    private static TraceContext requestSpan(ContextView context) {
        Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        if (observation == null) {
            return null;
        }
        TracingObservationHandler.TracingContext tracing = observation.getContextView()
                .get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        return span == null ? null : span.context();
    }

    /**
     * {@code work}, the applying of a consumed event, in a span of its own: a child of the event's trace (a new trace
     * for an event that carries none, from a node of an earlier release), named by the event's type, ended when the
     * work ends.
     */
    public <T> Mono<T> applying(CloudEvent event, Mono<T> work) {
        if (tracer == null) {
            return work;
        }
        return Mono.defer(() -> {
            Span span = propagator.extract(event, FROM_EVENT)
                    .name("apply " + event.type())
                    .kind(Span.Kind.CONSUMER)
                    .tag("gridlink.event.id", event.id().toString())
                    .tag("gridlink.event.source", event.source())
                    .tag("gridlink.case.id", String.valueOf(event.subject()))
                    .tag("gridlink.unit", String.valueOf(event.target()))
                    .start();
            return work.doOnError(span::error)
                    .doFinally(signal -> span.end())
                    .contextWrite(context -> context.put(SPAN, span));
        });
    }
}

package org.gridlink.kernel.calendar.publishing;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.config.GridlinkProperties;
import org.gridlink.kernel.support.events.EventTracing;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.ObjectMapper;

/** Wires the city's publication of the working calendar's years (日历发布) into every node. */
@Configuration(proxyBeanMethods = false)
public class CalendarConfiguration {

    /** The compacted topic of the years the city published, keyed by year, and its dead-letter topic. */
    @Bean
    KafkaAdmin.NewTopics calendarTopics(GridlinkProperties props) {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(CalendarEvents.TOPIC).partitions(1).replicas(props.topics().replicas()).compact()
                        .build(),
                TopicBuilder.name(CalendarEvents.TOPIC + ".dlt").partitions(1).replicas(props.topics().replicas())
                        .build());
    }

    @Bean
    CalendarEvents calendarEvents(ObjectMapper json) {
        return new CalendarEvents(json);
    }

    @Bean
    CalendarStore calendarStore(NodeUnits node, DatabaseClient db, ObjectMapper json) {
        return new CalendarStore(db, json, CalendarPublishing.cityOf(node));
    }

    @Bean
    CalendarPublishing calendarPublishing(NodeUnits node, CalendarStore store, CalendarEvents events,
                                          OutboxWriter outbox, TransactionalOperator tx, EventTracing tracing,
                                          Clock clock, MeterRegistry meters) {
        return new CalendarPublishing(node, store, events, outbox, tx, tracing, clock, meters);
    }

    @Bean
    CalendarListener calendarListener(CalendarPublishing publishing, CalendarEvents events, NodeUnits node) {
        return new CalendarListener(publishing, events, node);
    }

    /** The publications this node set aside, for an administrator to list and apply again. */
    @Bean
    CalendarDeadLetters calendarDeadLetters(CalendarListener listener, CalendarStore store, CalendarEvents events) {
        return new CalendarDeadLetters(listener, store, events);
    }
}

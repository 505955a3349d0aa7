package org.gridlink.kernel.notices;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.support.events.EventTracing;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.ObjectMapper;

/** Wires notices (通知) into a node: every tier issues them to the units below it and signs for those it receives. */
@Configuration(proxyBeanMethods = false)
public class NoticeConfiguration {

    @Bean
    NoticeHandling noticeHandling(NodeUnits node, DatabaseClient db, ObjectMapper json, OutboxWriter outbox,
                                  TransactionalOperator tx, EventTracing tracing, Clock clock, MeterRegistry meters) {
        return new NoticeHandling(node, new NoticeStore(db), new NoticeEvents(json), outbox, tx, tracing, clock, meters);
    }

    @Bean
    NoticeWork noticeWork(NoticeHandling notices) {
        return new NoticeWork(notices);
    }
}

package org.gridlink.kernel.stats;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.config.GridlinkProperties;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.ObjectMapper;

/** Wires the roll-ups, their reports up the tiers and the assessment into a node (issue 7). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StatsProperties.class)
public class StatsConfiguration {

    /** The compacted topic of the units' latest roll-ups, keyed by unit code, and its dead-letter topic. */
    @Bean
    KafkaAdmin.NewTopics unitReportTopics(GridlinkProperties props) {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(UnitReport.TOPIC).partitions(props.topics().partitions())
                        .replicas(props.topics().replicas()).compact().build(),
                TopicBuilder.name(UnitReport.TOPIC + ".dlt").partitions(props.topics().partitions())
                        .replicas(props.topics().replicas()).build());
    }

    @Bean
    RollupCalculator rollupCalculator(DatabaseClient db, StatsProperties props, ObjectProvider<TierFigures> tierFigures) {
        return new RollupCalculator(db, props, tierFigures.orderedStream().toList());
    }

    @Bean
    UnitReportStore unitReportStore(DatabaseClient db, ObjectMapper json) {
        return new UnitReportStore(db, json);
    }

    @Bean
    Rollups rollups(RollupCalculator calculator, UnitReportStore store, NodeUnits node, StatsProperties props, Clock clock) {
        return new Rollups(calculator, store, node, props, clock);
    }

    @Bean
    UnitReportPublisher unitReportPublisher(Rollups rollups, DatabaseClient db, OutboxWriter outbox,
                                            ObjectMapper json, StatsProperties props, MeterRegistry meters) {
        return new UnitReportPublisher(rollups, db, outbox, json, props, meters);
    }

    @Bean
    UnitReportListener unitReportListener(UnitReportStore store, UnitReportPublisher publisher, NodeUnits node,
                                          ObjectMapper json, Clock clock, MeterRegistry meters) {
        return new UnitReportListener(store, publisher, node, json, clock, meters);
    }

    /** The reports this node set aside, for an administrator to list and apply again. */
    @Bean
    UnitReportDeadLetters unitReportDeadLetters(UnitReportListener listener, UnitReportStore store, NodeUnits node,
                                                ObjectMapper json) {
        return new UnitReportDeadLetters(listener, store, node, json);
    }

    @Bean
    AssessmentRules assessmentRules(ResourceLoader resources, ObjectMapper json, GridlinkProperties props) {
        return AssessmentRules.load(resources, json, props.seeds());
    }
}

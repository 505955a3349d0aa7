package org.gridlink.security;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link LogEventMetrics} in the gateway and every node (each carries this jar), in place of Spring Boot's
 * {@code LogbackMetricsAutoConfiguration}, which backs off when it finds a {@link LogbackMetrics} bean.
 */
@AutoConfiguration(beforeName = LogEventMetricsAutoConfiguration.BOOTS)
@ConditionalOnClass({LoggerContext.class, MeterRegistry.class, LogbackMetrics.class})
@Conditional(LogEventMetricsAutoConfiguration.OnLogback.class)
public class LogEventMetricsAutoConfiguration {

    /** Spring Boot's own, which this one comes before. */
    static final String BOOTS =
            "org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration";

    @Bean
    @ConditionalOnMissingBean(LogbackMetrics.class)
    LogEventMetrics logEventMetrics() {
        return new LogEventMetrics();
    }

    /** SLF4J logs through Logback (as Spring Boot's own condition asks). */
    static class OnLogback extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            return factory instanceof LoggerContext
                    ? ConditionOutcome.match("SLF4J logs through Logback")
                    : ConditionOutcome.noMatch("SLF4J logs through " + factory.getClass().getName());
        }
    }
}

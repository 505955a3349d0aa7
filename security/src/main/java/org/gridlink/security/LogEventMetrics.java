package org.gridlink.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer's {@code logback.events} counters (one per level: what dashboards alert on when errors are logged),
 * counted by an appender on the root logger instead of Micrometer's turbo filter.
 * <p>
 * A Logback turbo filter is asked before every level check, {@code isDebugEnabled()} and {@code isTraceEnabled()}
 * included, whatever it answers: Spring, Reactor and the Kafka client ask several times per request or record for
 * levels that are off, and with Micrometer's filter installed each ask went through Logback's filter list (issue 8's
 * intake profile put 2% of the gateway's samples and 1.4% of the community node's there; measured alone, in the
 * benchmark's {@code hotpaths} scenario, a check costs about a nanosecond more with the filter). An appender is reached
 * only by what is logged. It counts what reaches the root logger, which is every event unless a logger's additivity is
 * turned off (no gridlink configuration does).
 * <p>
 * Spring Boot's {@code LogbackMetricsAutoConfiguration} backs off when a {@link LogbackMetrics} bean exists, which is
 * why this extends it; none of its turbo filter's code runs.
 */
public class LogEventMetrics extends LogbackMetrics {

    static final String METER = "logback.events";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final LoggerContext context;
    private final Iterable<Tag> tags;
    private final String name = "gridlink-log-events-" + INSTANCES.incrementAndGet();
    private final Map<MeterRegistry, Counting> appenders = new ConcurrentHashMap<>();
    private final LoggerContextListener reattach = new Reattach();

    public LogEventMetrics() {
        this(List.of(), (LoggerContext) LoggerFactory.getILoggerFactory());
    }

    public LogEventMetrics(Iterable<Tag> tags, LoggerContext context) {
        super(tags, context);
        this.context = context;
        this.tags = tags;
        context.addListener(reattach);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Counting appender = appenders.computeIfAbsent(registry, r -> new Counting(r, tags));
        appender.setContext(context);
        appender.setName(name);
        attach(appender);
    }

    @Override
    public void close() {
        Logger root = root();
        appenders.values().forEach(appender -> {
            root.detachAppender(appender);
            appender.stop();
        });
        appenders.clear();
        context.removeListener(reattach);
        super.close();
    }

    private void attach(Counting appender) {
        if (!appender.isStarted()) {
            appender.start(); // a reset stops the appenders it detaches
        }
        Logger root = root();
        if (!root.isAttached(appender)) {
            root.addAppender(appender);
        }
    }

    private Logger root() {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Counts each event it is handed by its level, as Micrometer's filter did, with the same meter and tags. */
    static final class Counting extends AppenderBase<ILoggingEvent> {

        private final Counter error;
        private final Counter warn;
        private final Counter info;
        private final Counter debug;
        private final Counter trace;

        Counting(MeterRegistry registry, Iterable<Tag> tags) {
            this.error = counter(registry, tags, "error");
            this.warn = counter(registry, tags, "warn");
            this.info = counter(registry, tags, "info");
            this.debug = counter(registry, tags, "debug");
            this.trace = counter(registry, tags, "trace");
        }

        private static Counter counter(MeterRegistry registry, Iterable<Tag> tags, String level) {
            return Counter.builder(METER).tags(tags).tags("level", level)
                    .description("Number of log events that were enabled by the effective log level")
                    .baseUnit("events").register(registry);
        }

        @Override
        protected void append(ILoggingEvent event) {
            switch (event.getLevel().toInt()) {
                case Level.ERROR_INT -> error.increment();
                case Level.WARN_INT -> warn.increment();
                case Level.INFO_INT -> info.increment();
                case Level.DEBUG_INT -> debug.increment();
                case Level.TRACE_INT -> trace.increment();
                default -> { }
            }
        }
    }

    /** A reset of Logback (a reconfiguration) detaches every appender: the counting ones go back on the root. */
    private final class Reattach implements LoggerContextListener {

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext loggerContext) {
        }

        @Override
        public void onReset(LoggerContext loggerContext) {
            appenders.values().forEach(LogEventMetrics.this::attach);
        }

        @Override
        public void onStop(LoggerContext loggerContext) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }
}

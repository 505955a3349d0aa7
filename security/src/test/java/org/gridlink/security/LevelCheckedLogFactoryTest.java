package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Commons Logging finds {@link LevelCheckedLogFactory}, whose logs make a message only when its level is enabled. */
class LevelCheckedLogFactoryTest {

    private static final String NAME = "org.gridlink.security.LevelCheckedLogFactoryTest.subject";

    private final Logger logback = (Logger) LoggerFactory.getLogger(NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logback.addAppender(appender);
        logback.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logback.detachAppender(appender);
    }

    @Test
    void commonsLoggingFindsTheFactoryThroughItsServiceFile() {
        assertThat(LogFactory.getFactory()).isInstanceOf(LevelCheckedLogFactory.class);
        assertThat(LogFactory.getLog(NAME)).isInstanceOf(LevelCheckedLogFactory.LevelCheckedLog.class)
                .isSameAs(LogFactory.getLog(NAME));
    }

    @Test
    void aDisabledLevelsMessageIsNeverMade() {
        Log log = LogFactory.getLog(NAME);
        AtomicInteger made = new AtomicInteger();
        Object message = new Object() {
            @Override
            public String toString() {
                made.incrementAndGet();
                return "a costly message";
            }
        };

        log.debug(message);
        log.trace(message, new IllegalStateException("x"));
        assertThat(made).hasValue(0);
        assertThat(appender.list).isEmpty();

        log.info(message);
        log.warn(message, new IllegalStateException("why"));
        assertThat(made).hasValue(2);
        assertThat(appender.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                .containsExactly(tuple(Level.INFO, "a costly message"),
                        tuple(Level.WARN, "a costly message"));
        assertThat(appender.list.get(1).getThrowableProxy().getMessage()).isEqualTo("why");

        logback.setLevel(Level.DEBUG);
        log.debug(message);
        assertThat(made).hasValue(3);
        assertThat(appender.list).hasSize(3);
    }
}

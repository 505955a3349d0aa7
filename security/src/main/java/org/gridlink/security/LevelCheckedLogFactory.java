package org.gridlink.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.commons.logging.impl.Slf4jLogFactory;

/**
 * Commons Logging (the API Spring itself logs through) over SLF4J, as commons-logging's own {@link Slf4jLogFactory},
 * but a message is made only when its level is enabled. That factory's logs turn every message into a string and
 * hand it to Logback whatever the level (commons-logging 1.3.6 and 1.4.0), so a disabled debug line still cost its
 * formatting and Logback's turbo filters: Spring Security's request matchers and authorization manager log one
 * {@code LogMessage} each per request, about 2% of the gateway's and 1–3% of a node's CPU in issue 8's profile.
 * <p>
 * Commons Logging finds this factory through {@code META-INF/services/org.apache.commons.logging.LogFactory} in this
 * jar, which the gateway and every node carry; elsewhere nothing changes. A log line's caller, for a layout that
 * prints it, is this class's log rather than the Spring class that logged.
 */
public final class LevelCheckedLogFactory extends LogFactory {

    private final Slf4jLogFactory slf4j = new Slf4jLogFactory();
    private final ConcurrentMap<String, Log> logs = new ConcurrentHashMap<>();

    @Override
    public Log getInstance(Class<?> clazz) {
        return getInstance(clazz.getName());
    }

    @Override
    public Log getInstance(String name) {
        return logs.computeIfAbsent(name, n -> new LevelCheckedLog(slf4j.getInstance(n)));
    }

    @Override
    public Object getAttribute(String name) {
        return slf4j.getAttribute(name);
    }

    @Override
    public String[] getAttributeNames() {
        return slf4j.getAttributeNames();
    }

    @Override
    public void removeAttribute(String name) {
        slf4j.removeAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        slf4j.setAttribute(name, value);
    }

    @Override
    public void release() {
        logs.clear();
        slf4j.release();
    }

    /** A log that asks its level first and hands on only what will be logged. */
    record LevelCheckedLog(Log log) implements Log {

        @Override
        public boolean isTraceEnabled() {
            return log.isTraceEnabled();
        }

        @Override
        public boolean isDebugEnabled() {
            return log.isDebugEnabled();
        }

        @Override
        public boolean isInfoEnabled() {
            return log.isInfoEnabled();
        }

        @Override
        public boolean isWarnEnabled() {
            return log.isWarnEnabled();
        }

        @Override
        public boolean isErrorEnabled() {
            return log.isErrorEnabled();
        }

        @Override
        public boolean isFatalEnabled() {
            return log.isFatalEnabled();
        }

        @Override
        public void trace(Object message) {
            if (log.isTraceEnabled()) {
                log.trace(message);
            }
        }

        @Override
        public void trace(Object message, Throwable t) {
            if (log.isTraceEnabled()) {
                log.trace(message, t);
            }
        }

        @Override
        public void debug(Object message) {
            if (log.isDebugEnabled()) {
                log.debug(message);
            }
        }

        @Override
        public void debug(Object message, Throwable t) {
            if (log.isDebugEnabled()) {
                log.debug(message, t);
            }
        }

        @Override
        public void info(Object message) {
            if (log.isInfoEnabled()) {
                log.info(message);
            }
        }

        @Override
        public void info(Object message, Throwable t) {
            if (log.isInfoEnabled()) {
                log.info(message, t);
            }
        }

        @Override
        public void warn(Object message) {
            if (log.isWarnEnabled()) {
                log.warn(message);
            }
        }

        @Override
        public void warn(Object message, Throwable t) {
            if (log.isWarnEnabled()) {
                log.warn(message, t);
            }
        }

        @Override
        public void error(Object message) {
            if (log.isErrorEnabled()) {
                log.error(message);
            }
        }

        @Override
        public void error(Object message, Throwable t) {
            if (log.isErrorEnabled()) {
                log.error(message, t);
            }
        }

        @Override
        public void fatal(Object message) {
            if (log.isFatalEnabled()) {
                log.fatal(message);
            }
        }

        @Override
        public void fatal(Object message, Throwable t) {
            if (log.isFatalEnabled()) {
                log.fatal(message, t);
            }
        }
    }
}

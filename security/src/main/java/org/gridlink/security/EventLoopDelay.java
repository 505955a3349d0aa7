package org.gridlink.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;

/**
 * How late an app's event loops run what they are given ({@code gridlink.eventloop.delay}, by {@code loops}: the
 * HTTP loops, a node's database connections'): each loop runs a task every {@code interval} and records how long after
 * its time it ran. A loop late by tens of milliseconds holds every request or statement it serves that long, whether
 * something on it blocked (the integration tests fail on a blocking call, BlockHound), it had more work than it could
 * do, or its thread waited for a core. Its buckets (1 ms to 1 s) give a percentile over any two scrapes.
 */
public class EventLoopDelay implements SmartLifecycle {

    /** The property giving how often each loop is probed, with its default, as {@code @Value} reads it. */
    public static final String INTERVAL = "${gridlink.metrics.event-loop-interval:100ms}";

    /** The delays the timer's buckets end at. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1)};

    private final Map<String, Supplier<? extends EventExecutorGroup>> groups;
    private final long periodNanos;
    private final Supplier<MeterRegistry> meters;
    private final List<ScheduledFuture<?>> probes = new ArrayList<>();
    private volatile boolean running;

    /** {@code groups}: each loop group by the tag it is recorded under, asked for at start. */
    public EventLoopDelay(Map<String, Supplier<? extends EventExecutorGroup>> groups, Duration interval,
                          MeterRegistry meters) {
        this(groups, interval, () -> meters);
    }

    /** {@code meters} asked for at start, as the groups are. */
    public EventLoopDelay(Map<String, Supplier<? extends EventExecutorGroup>> groups, Duration interval,
                          Supplier<MeterRegistry> meters) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("gridlink.metrics.event-loop-interval must be positive, not " + interval);
        }
        this.groups = new LinkedHashMap<>(groups);
        this.periodNanos = interval.toNanos();
        this.meters = meters;
    }

    @Override
    public synchronized void start() {
        groups.forEach((name, group) -> {
            Timer delay = Timer.builder("gridlink.eventloop.delay")
                    .description("how long after its time a task given to one of the app's event loops ran")
                    .tag("loops", name).serviceLevelObjectives(BUCKETS).register(meters.get());
            for (EventExecutor loop : group.get()) {
                probes.add(probe(loop, delay));
            }
        });
        running = true;
    }

    private ScheduledFuture<?> probe(EventExecutor loop, Timer delay) {
        // a fixed rate: each run is due one period after the last was due, however late that one ran
        long[] due = {System.nanoTime() + periodNanos};
        return loop.scheduleAtFixedRate(() -> {
            long late = System.nanoTime() - due[0];
            due[0] += periodNanos;
            delay.record(Math.max(0, late), TimeUnit.NANOSECONDS);
        }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void stop() {
        probes.forEach(p -> p.cancel(false));
        probes.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // once the loops exist (the web server starts in an earlier phase), stopped before they are
        return Integer.MAX_VALUE - 200;
    }
}

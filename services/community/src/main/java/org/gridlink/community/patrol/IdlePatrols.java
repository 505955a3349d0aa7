package org.gridlink.community.patrol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Ends the patrols left under way: one with no sign of life (its start, its latest check-in) for
 * {@code gridlink.patrols.idle-limit} (4 h) is ended by the system at that last sign, so that a walk forgotten in the
 * evening is not counted as a day's patrol and its grid worker is not kept from starting the next one. Looked for every
 * {@code gridlink.patrols.idle-check-interval} (10 min); the metric {@code gridlink.patrols.ended.idle} counts them.
 */
@Component
public class IdlePatrols {

    private static final Logger log = LoggerFactory.getLogger(IdlePatrols.class);

    private final PatrolStore store;
    private final Clock clock;
    private final Duration limit;
    private final Counter ended;

    public IdlePatrols(PatrolStore store, Clock clock, @Value("${gridlink.patrols.idle-limit:4h}") Duration limit,
                       MeterRegistry meters) {
        this.store = store;
        this.clock = clock;
        this.limit = limit;
        this.ended = Counter.builder("gridlink.patrols.ended.idle")
                .description("patrols the system ended after no sign of life for gridlink.patrols.idle-limit")
                .register(meters);
    }

    /** Ends every patrol idle past the limit now; how many. */
    public Mono<Long> endIdle() {
        return store.endIdle(clock.instant().minus(limit), "系统结束：" + limit.toHours() + " 小时无打卡 (ended by the"
                        + " system: no check-in for " + limit + ")")
                .doOnNext(n -> {
                    if (n > 0) {
                        ended.increment(n);
                        log.info("ended {} patrols left under way with no sign of life since {} ago", n, limit);
                    }
                });
    }

    @Scheduled(initialDelayString = "${gridlink.patrols.idle-check-interval:10m}",
            fixedDelayString = "${gridlink.patrols.idle-check-interval:10m}")
    public void check() {
        try {
            endIdle().block(Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            log.warn("could not end the idle patrols this time; will look again", e);
        }
    }
}

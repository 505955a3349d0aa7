package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.ReactorNetty;

class EventLoopsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(EventLoops.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(EventLoops.PROPERTY);
        } else {
            System.setProperty(EventLoops.PROPERTY, before);
        }
    }

    @Test
    void oneLoopPerCoreAndNeverFewerThanTwo() {
        assertThat(EventLoops.onePerCore(1)).isEqualTo(2);
        assertThat(EventLoops.onePerCore(2)).isEqualTo(2);
        assertThat(EventLoops.onePerCore(3)).isEqualTo(3);
        assertThat(EventLoops.onePerCore(16)).isEqualTo(16);
    }

    @Test
    void itIsReactorNettysOwnProperty() {
        assertThat(EventLoops.PROPERTY).isEqualTo(ReactorNetty.IO_WORKER_COUNT);
    }

    @Test
    void setsTheCountForThisMachineWhenNobodyDid() {
        System.clearProperty(EventLoops.PROPERTY);
        EventLoops.onePerCore();
        assertThat(System.getProperty(EventLoops.PROPERTY))
                .isEqualTo(Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }

    @Test
    void anOperatorsOwnCountWins() {
        System.setProperty(EventLoops.PROPERTY, "7");
        EventLoops.onePerCore();
        assertThat(System.getProperty(EventLoops.PROPERTY)).isEqualTo("7");
    }
}

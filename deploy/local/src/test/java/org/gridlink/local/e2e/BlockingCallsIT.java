package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.gridlink.kernel.testing.BlockingCalls;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The watch every test of the platform runs under ({@link BlockingCalls}, {@link org.gridlink.kernel.testing.NoBlockingCalls}) sees and allows. */
class BlockingCallsIT {

    @Test
    void everyTestHereRunsUnderTheWatch() {
        assertThat(BlockingCalls.wanted()).as("this JVM started with " + BlockingCalls.JVM_OPTION).isTrue();
        assertThat(BlockingCalls.installed()).as("installed by NoBlockingCalls, found by autodetection").isTrue();
    }

    @Test
    void aSleepOnReactorsParallelSchedulerIsRecordedWithItsThreadAndStack() {
        Mono.fromCallable(() -> {
            Thread.sleep(1);
            return 1;
        }).subscribeOn(Schedulers.parallel()).block();

        Map<Boolean, List<BlockingCalls.Call>> calls = BlockingCalls.take().stream()
                .collect(Collectors.partitioningBy(c -> c.stack().stream()
                        .anyMatch(e -> e.getClassName().startsWith(BlockingCallsIT.class.getName()))));
        assertThat(calls.get(true)).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("java.lang.Thread#sleep");
            assertThat(call.thread()).startsWith("parallel-");
            assertThat(call.stack().get(0).getClassName()).isEqualTo("java.lang.Thread");
            assertThat(call.stack().get(0).getMethodName()).startsWith("sleep");
        });
        assertThat(calls.get(false)).as("blocking calls of the platform in the meantime").isEmpty();
    }

    @Test
    void randomIdsOnANonBlockingThreadAreAllowed() {
        // enough bytes that NativePRNG reads /dev/urandom again several times
        Mono.fromRunnable(() -> {
            for (int i = 0; i < 20_000; i++) {
                UUID.randomUUID();
            }
        }).subscribeOn(Schedulers.parallel()).block();

        assertThat(BlockingCalls.take()).as("blocking calls recorded").isEmpty();
    }
}

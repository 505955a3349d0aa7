package org.gridlink.kernel.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import reactor.blockhound.BlockHound;

/**
 * BlockHound in an integration test's JVM: a call that can block (a file or socket read, a sleep, a wait, a lock taken
 * against another thread) on a thread that must not block (an HTTP or database connection's event loop, Reactor's
 * parallel scheduler) is recorded with its stack, and {@link NoBlockingCalls} fails the test it happened during. One
 * such call stalls every request and statement that loop serves, however briefly the call itself took when it was
 * measured. The library's own integrations (Reactor, Netty, Spring) say which of their threads may not block and which
 * of their own calls are safe; the calls allowed here are each a library's, with the reason.
 * <p>
 * Installed in a JVM started with {@code -XX:+AllowRedefinitionToAddDeleteMethods} (BlockHound adds methods to the
 * JDK's classes as they load; Java 13 and later refuse it without the option): the failsafe configuration of the
 * modules whose integration tests it watches gives it.
 */
public final class BlockingCalls {

    /** One blocking call: where, on which thread, and the stack that made it. */
    public record Call(String method, String thread, List<StackTraceElement> stack) {
        @Override
        public String toString() {
            return method + " on " + thread + "\n    at " + stack.stream().map(String::valueOf)
                    .collect(Collectors.joining("\n    at "));
        }
    }

    private static final int STACK_KEPT = 40;
    private static boolean installed;
    /** The calls not yet taken, one per distinct stack (a loop that blocks once blocks again the same way). */
    private static final Map<List<StackTraceElement>, Call> calls = new LinkedHashMap<>();

    private BlockingCalls() {
    }

    /** The JVM option BlockHound needs, which also says that a module's tests want it. */
    public static final String JVM_OPTION = "-XX:+AllowRedefinitionToAddDeleteMethods";

    /** Whether this JVM was started with {@link #JVM_OPTION}. */
    public static boolean wanted() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().contains(JVM_OPTION);
    }

    /** Installs BlockHound once in this JVM. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        BlockHound.install(builder -> builder
                // SecureRandom (NativePRNG) reads /dev/urandom, which never blocks once the kernel's pool is
                // initialised (before any JVM runs); its lock is held for microseconds. Random ids and multipart
                // boundaries come from it.
                .allowBlockingCallsInside("java.util.UUID", "randomUUID")
                .allowBlockingCallsInside("org.springframework.util.MimeTypeUtils", "generateMultipartBoundary")
                // a rate limiter's compare-and-set backs off for a nanosecond when another thread changed it first
                .allowBlockingCallsInside("io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter",
                        "compareAndSet")
                // Resilience4j's Spring Boot configuration keeps each breaker's and bulkhead's last events for the
                // actuator, a lock held while one is added (the gateway's two loops meet there in a burst)
                .allowBlockingCallsInside("io.github.resilience4j.circularbuffer.ConcurrentEvictingQueue",
                        "writeConcurrently")
                // Resilience4j's breaker records each call's outcome in its sliding window under a lock held for the
                // update of a few counters (met contended on the gateway's event loop in ConsoleOperationsIT)
                .allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics",
                        "record")
                // Caffeine's maintenance waits for another thread's maintenance of the same cache (a few entries)
                .allowBlockingCallsInside("com.github.benmanes.caffeine.cache.BoundedLocalCache", "performCleanUp")
                // Spring's lazily computed values (the Prometheus exemplars' tracer among them) lock only their first get
                .allowBlockingCallsInside("org.springframework.util.function.SingletonSupplier", "get")
                // Jackson builds a type's deserializer once under its cache's lock
                .allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
                        "_createAndCacheValueDeserializer")
                // Netty's pooling allocator locks a magazine while it adds one for a busier loop
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                        "tryExpandMagazines")
                // loaded once per JVM (a native library) or once per locale (Hibernate Validator's messages)
                .allowBlockingCallsInside("com.github.luben.zstd.util.Native", "load")
                .allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
                        "loadBundle")
                .blockingMethodCallback(method -> record(method.getClassName() + "#" + method.getName())));
        installed = true;
    }

    private static void record(String method) {
        StackTraceElement[] trace = new Throwable().getStackTrace();
        // from the blocking method down: BlockHound's own frames and this method's are above it
        int from = 0;
        while (from < trace.length && (trace[from].getClassName().startsWith("reactor.blockhound.")
                || trace[from].getClassName().equals(BlockingCalls.class.getName()))) {
            from++;
        }
        List<StackTraceElement> stack = List.copyOf(Arrays.asList(trace)
                .subList(from, Math.min(trace.length, from + STACK_KEPT)));
        synchronized (BlockingCalls.class) {
            calls.putIfAbsent(stack, new Call(method, Thread.currentThread().getName(), stack));
        }
    }

    /** Whether BlockHound watches this JVM. */
    public static synchronized boolean installed() {
        return installed;
    }

    /** The blocking calls recorded since the last take, and forgets them. */
    public static synchronized List<Call> take() {
        List<Call> taken = new ArrayList<>(calls.values());
        calls.clear();
        return taken;
    }
}

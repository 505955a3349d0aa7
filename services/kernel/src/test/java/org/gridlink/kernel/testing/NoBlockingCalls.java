package org.gridlink.kernel.testing;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which a thread that must not block made a blocking call ({@link BlockingCalls}), naming each
 * call with its thread and stack; installs BlockHound before a test class's apps start, in a JVM started with
 * {@link BlockingCalls#JVM_OPTION}, and does nothing in another. A module's integration tests run under it with JUnit's
 * extension autodetection on (its {@code junit-platform.properties} and
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}) and the option in its failsafe configuration. A
 * call made by work in the background is reported by the test during which it happened.
 */
public class NoBlockingCalls implements BeforeAllCallback, AfterEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (BlockingCalls.wanted()) {
            BlockingCalls.install();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!BlockingCalls.installed()) {
            return;
        }
        List<BlockingCalls.Call> calls = BlockingCalls.take();
        if (!calls.isEmpty()) {
            throw new AssertionError(calls.size() + " blocking call(s) on a thread that must not block, during "
                    + context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName() + ":\n"
                    + calls.stream().map(String::valueOf).collect(Collectors.joining("\n")));
        }
    }
}

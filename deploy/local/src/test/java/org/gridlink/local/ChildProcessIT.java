package org.gridlink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM never outlives the JVM that started it, whether that one exits or dies. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChildProcessIT {

    @TempDir
    Path dir;

    @Test
    void aChildIsStoppedWhenItsParentExits() throws Exception {
        long child = childOfAParentThat("exits");
        assertThat(ProcessHandle.of(child).map(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join().isAlive())
                .orElse(false)).isFalse();
    }

    @Test
    void aChildStopsItselfWhenItsParentDiesWithoutStoppingIt() throws Exception {
        long child = childOfAParentThat("dies");
        assertThat(ProcessHandle.of(child).map(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join().isAlive())
                .orElse(false)).isFalse();
    }

    @Test
    void aChildCanBeFrozenThawedStoppedAndStartedAgain() throws Exception {
        ChildProcess child = new ChildProcess("sleeper", "32m", List.of(),
                List.of("-cp", System.getProperty("java.class.path"), Sleeper.class.getName()), dir.resolve("sleeper.log"), 10);
        try {
            child.start();
            long first = child.pid();
            child.signal("STOP");
            await().atMost(Duration.ofSeconds(10)).until(() -> state(first) == 'T');
            child.signal("CONT");
            await().atMost(Duration.ofSeconds(10)).until(() -> state(first) != 'T');
            child.signal("STOP");
            child.stop(); // thaws before SIGTERM
            assertThat(child.isAlive()).isFalse();
            child.start();
            assertThat(child.pid()).isNotEqualTo(first);
            child.kill();
            assertThat(child.isAlive()).isFalse();
            assertThat(child.tail(100)).contains("starting sleeper").contains("-javaagent:");
        } finally {
            child.kill();
        }
    }

    /** Starts a parent JVM that starts a child and then exits or dies; returns the child's pid. */
    private long childOfAParentThat(String how) throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Parent.class.getName(), how, dir.resolve(how + ".log").toString())
                .redirectErrorStream(true).start();
        long child;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the parent's first line").startsWith("child ");
            child = Long.parseLong(line.substring("child ".length()).trim());
            assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return child;
    }

    /** The process's state letter from /proc (T: stopped). */
    private static char state(long pid) throws Exception {
        String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    /** The parent JVM of the tests above. */
    static final class Parent {
        public static void main(String[] args) throws Exception {
            ChildProcess child = new ChildProcess("sleeper", "32m", List.of(),
                    List.of("-cp", System.getProperty("java.class.path"), Sleeper.class.getName()), Path.of(args[1]), 10);
            child.start();
            Thread.sleep(1500); // let the child's JVM and its guard come up
            System.out.println("child " + child.pid());
            System.out.flush();
            if ("dies".equals(args[0])) {
                Runtime.getRuntime().halt(0); // no shutdown hooks, as kill -9 would
            }
            System.exit(0);
        }
    }

    /** A child that would run forever. */
    static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}

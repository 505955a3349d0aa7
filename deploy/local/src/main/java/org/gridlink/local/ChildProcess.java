package org.gridlink.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A child JVM whose output is appended to a log file: started (and started again) with the same command,
 * stopped with SIGTERM, killed with SIGKILL as a crash would, frozen with SIGSTOP. The one place where the
 * local platform starts processes, shared by {@link KafkaBroker} and {@link ServiceProcess}.
 *
 * <p>A child never outlives its parent: the {@link Reaper} stops it when the parent JVM exits, the
 * {@link OrphanGuard} agent inside it stops it when the parent dies without exiting (kill -9), and it runs in
 * its own session (setsid, where there is one) so that a Ctrl-C in the terminal reaches only the parent,
 * which then stops the children in order.
 */
final class ChildProcess implements AutoCloseable {

    private static final String SETSID = findSetsid();
    private static String guardAgent;

    private final String name;
    private final List<String> command;
    private final Path log;
    private final long graceSeconds;
    private Process process;

    /**
     * @param heap         the child's maximum heap, such as {@code 512m}
     * @param jvmOptions   further JVM options
     * @param launch       what to run and its arguments: {@code -cp <cp> <main> args...} or {@code -jar <jar> args...}
     * @param graceSeconds how long {@link #stop()} waits after SIGTERM before it kills
     */
    ChildProcess(String name, String heap, List<String> jvmOptions, List<String> launch, Path log, long graceSeconds) {
        this.name = name;
        this.log = log;
        this.graceSeconds = graceSeconds;
        List<String> cmd = new ArrayList<>();
        if (SETSID != null) {
            cmd.add(SETSID);
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.awt.headless=true");
        String agent = guardAgent();
        if (agent != null) {
            cmd.add("-javaagent:" + agent + "=" + ProcessHandle.current().pid());
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(launch);
        this.command = List.copyOf(cmd);
    }

    /** Starts the process (again, after it has stopped), appending its output to the log. */
    synchronized ChildProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, System.lineSeparator() + "----- gridlink: starting " + name + " at " + Instant.now()
                    + System.lineSeparator() + String.join(" ", command) + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Reaper.register(this);
        return this;
    }

    /** Runs the process to its end; fails unless it exits with 0 in time. */
    void runToCompletion(long timeoutSeconds) {
        start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; last lines of "
                        + log + ":\n" + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } finally {
            Reaper.deregister(this);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The pid of the running (or last) process. */
    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. A frozen process is thawed first. */
    synchronized void stop() {
        if (!isAlive()) {
            return;
        }
        signal("CONT");
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                System.err.println("[gridlink] " + name + " did not stop within " + graceSeconds + " s; killing it");
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL, as a crash would; returns once the process is gone. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends a signal such as {@code STOP} or {@code CONT} with the {@code kill} command. */
    void signal(String signal) {
        long pid = pid();
        if (!isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail(int lines) {
        return tail(log, lines);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }

    Path log() {
        return log;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name;
    }

    private static String findSetsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Packs {@link OrphanGuard} into a one-class agent jar in the temp folder, named by its content so that every
     * JVM shares it and none leaves a copy behind; {@code null} if that is impossible.
     */
    private static synchronized String guardAgent() {
        if (guardAgent == null) {
            guardAgent = "";
            String resource = OrphanGuard.class.getName().replace('.', '/') + ".class";
            try (InputStream in = OrphanGuard.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    byte[] bytes = in.readAllBytes();
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(bytes);
                    Path jar = Path.of(System.getProperty("java.io.tmpdir"),
                            "gridlink-orphan-guard-" + Long.toHexString(crc.getValue()) + "-" + bytes.length + ".jar");
                    if (!Files.isRegularFile(jar)) {
                        Manifest manifest = new Manifest();
                        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), OrphanGuard.class.getName());
                        Path partial = Files.createTempFile(jar.getParent(), "gridlink-orphan-guard-", ".partial");
                        try (OutputStream file = Files.newOutputStream(partial);
                             JarOutputStream out = new JarOutputStream(file, manifest)) {
                            out.putNextEntry(new JarEntry(resource));
                            out.write(bytes);
                            out.closeEntry();
                        }
                        Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    }
                    guardAgent = jar.toString();
                }
            } catch (IOException e) {
                System.err.println("[gridlink] children will run without the orphan guard: " + e);
            }
        }
        return guardAgent.isEmpty() ? null : guardAgent;
    }
}

package org.gridlink.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spring Boot executable jar run as a child JVM ({@code java -Xmx<heap> -jar <jar> --server.port=<port>
 * --key=value...}), its output appended to a log file, with a wait for {@code /actuator/health}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ChildProcess process;

    /**
     * @param args further application arguments, each {@code --key=value}; {@code --server.port} is added
     */
    public ServiceProcess(String name, Path jar, int port, String heap, List<String> args, Path log) {
        // C1 only: the local platform starts faster and a demo needs no peak throughput
        this(name, jar, port, heap, List.of("-XX:TieredStopAtLevel=1"), args, log);
    }

    /**
     * As {@link #ServiceProcess(String, Path, int, String, List, Path)}, with the child's own JVM options in place
     * of the default {@code -XX:TieredStopAtLevel=1} (a benchmark wants the full JIT).
     */
    public ServiceProcess(String name, Path jar, int port, String heap, List<String> jvmOptions, List<String> args,
                          Path log) {
        this.name = name;
        this.port = port;
        List<String> launch = new ArrayList<>(List.of("-jar", jar.toString(), "--server.port=" + port));
        launch.addAll(args);
        this.process = new ChildProcess(name, heap, jvmOptions, launch, log, 20);
    }

    /** Starts the service (again, after it stopped). Does not wait: see {@link #awaitHealthy(Duration)}. */
    public ServiceProcess start() {
        process.start();
        return this;
    }

    /**
     * Waits until {@code /actuator/health} answers 200; fails with the last 40 lines of the log if the process
     * exits or the time runs out.
     */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(3)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; last lines of " + log() + ":\n"
                        + process.tail(40));
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " not healthy after " + timeout.toSeconds() + " s; last lines of "
                        + log() + ":\n" + process.tail(40));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The running (or last) process's pid: the JVM's own ({@code setsid} runs it in its place). */
    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return process.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Graceful stop: SIGTERM, then SIGKILL after 20 s. */
    public void stop() {
        process.stop();
    }

    /** A crash: SIGKILL. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name;
    }
}

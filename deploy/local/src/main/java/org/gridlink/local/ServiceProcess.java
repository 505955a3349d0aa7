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

/** A Spring Boot executable jar run as a child process, with a health check on its port. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ChildProcess process;

    public ServiceProcess(String name, Path jar, int port, String heap, List<String> args, Path log) {
        this.name = name;
        this.port = port;
        List<String> all = new ArrayList<>(List.of("--server.port=" + port));
        all.addAll(args);
        this.process = new ChildProcess(name, ChildProcess.java(heap, null, jar.toString(), all), log);
    }

    public ServiceProcess start() {
        process.start();
        return this;
    }

    /** Waits until {@code /actuator/health} answers 200; fails with the end of the log if it exits or times out. */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; last lines of " + process.log()
                        + ":\n" + process.tail(40));
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {
                // not up yet
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not healthy after " + timeout + "; last lines of " + process.log()
                + ":\n" + process.tail(40));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return process.log();
    }

    public void stop() {
        process.stop(20);
    }

    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        stop();
    }
}

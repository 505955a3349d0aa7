package org.gridlink.bench.baselines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a baseline tool (pgbench, a Kafka tool in a JVM of its own) to its end and returns what it printed. */
final class ToolProcess {

    private ToolProcess() {
    }

    static String run(List<String> command, Map<String, String> env, Path workDir, Path output, long timeoutSeconds) {
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            Thread stopper = new Thread(process::destroyForcibly, "stop-" + command.get(0));
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds
                            + " s; see " + output);
                }
            } finally {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

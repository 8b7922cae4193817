package org.opentokgateway.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway started as a separate JVM from the compiled classes and the test class path, on
 * 127.0.0.1 with given ports and data folder, so a test can kill it (SIGKILL) or stop it (SIGTERM)
 * the way an operator's process manager does.
 */
public final class GatewayProcess {

    private final Process process;
    private final int httpPort;

    private GatewayProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts the gateway and waits until it answers HTTP (at most 60 s). */
    public static GatewayProcess start(Path dataDir, int httpPort, int brokerPort, Path log)
            throws IOException, InterruptedException {
        Process process = launch(dataDir, httpPort, brokerPort, log);
        GatewayProcess gateway = new GatewayProcess(process, httpPort);
        gateway.awaitReady();
        return gateway;
    }

    /**
     * Starts the gateway and waits for the process to end by itself, e.g. on a failed start;
     * returns its exit code, or -1 (after killing it) when it still runs after the wait.
     */
    public static int runUntilExit(
            Path dataDir, int httpPort, int brokerPort, Path log, long waitMs)
            throws IOException, InterruptedException {
        Process process = launch(dataDir, httpPort, brokerPort, log);

        if (process.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return -1;
    }

    private static Process launch(Path dataDir, int httpPort, int brokerPort, Path log)
            throws IOException {
        // An empty entry would put the working folder, and so routes/ a second time, on it.
        String classPath =
                java.util.Arrays.stream(
                                System.getProperty(
                                                "surefire.test.class.path",
                                                System.getProperty("java.class.path"))
                                        .split(File.pathSeparator))
                        .filter(entry -> !entry.isBlank())
                        .collect(java.util.stream.Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dvertx.cacheDirBase=" + dataDir.resolve("vertx-cache"));
        command.add("-Dcamel.server.host=127.0.0.1");
        command.add("-Dcamel.server.port=" + httpPort);
        command.add("-Dgateway.broker.embedded.name=crash-test");
        command.add("-Dgateway.broker.embedded.connector=tcp://127.0.0.1:" + brokerPort);
        command.add("-Dgateway.broker.embedded.data-dir=" + dataDir.resolve("broker"));
        command.add("-Dgateway.broker.embedded.store-limit-mb=512");
        command.add("-Dgateway.broker.embedded.temp-limit-mb=128");
        command.add("-Dgateway.dedup.data-dir=" + dataDir.resolve("dedup"));
        command.add("-Dgateway.archive.data-dir=" + dataDir.resolve("archive"));
        command.add("-Dcamel.management.port=" + RunningGateway.freePort());
        command.add("-cp");
        command.add(classPath);
        command.add("org.opentokgateway.GatewayMain");

        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File(System.getProperty("user.dir")))
                .start();
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "The gateway process ended with " + process.exitValue());
            }
            try {
                HttpRequest probe =
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/callbacks/session"))
                                .timeout(Duration.ofSeconds(2))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build();
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("The gateway process did not answer within 60 s");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** SIGKILL: the JVM ends at once, no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the process to end; returns its exit code (-1: still running). */
    public int terminate(long waitMs) throws InterruptedException {
        process.destroy();
        if (process.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return -1;
    }
}

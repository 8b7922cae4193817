package org.opentokgateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An ActiveMQ broker in a child JVM ({@link ExternalBrokerMain}) on 127.0.0.1, for tests of the
 * gateway's external-broker mode. {@link #kill()} ends it at once, as a crash would.
 */
public final class ExternalBroker implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 30;

    private final int port;
    private final Path dataDir;
    private Process process;

    private ExternalBroker(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a broker on a free port with a data folder of its own; close() deletes it. */
    public static ExternalBroker start() throws Exception {
        ExternalBroker broker =
                new ExternalBroker(
                        RunningGateway.freePort(), Files.createTempDirectory("external-broker-"));
        broker.startAgain();
        return broker;
    }

    /** The broker's OpenWire URL. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts the broker again on the same port and data folder, e.g. after {@link #kill()}. */
    public void startAgain() throws Exception {
        process = launch(port, dataDir);
    }

    /** Starts a broker on the port, persistent in the folder, and waits until it listens. */
    private static Process launch(int port, Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder =
                new ProcessBuilder(
                        List.of(
                                java,
                                "-Xmx128m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                ExternalBrokerMain.class.getName(),
                                String.valueOf(port),
                                dataDir.toString()));
        builder.redirectErrorStream(true);
        Process process = builder.start();

        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitReady(process));
        boolean started;
        try {
            started = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            started = false;
        }
        if (!started) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("The external broker did not start on port " + port);
        }
        return process;
    }

    /** Reads the child's output until the ready line; the rest is drained in the background. */
    private static boolean awaitReady(Process process) {
        BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains(ExternalBrokerMain.READY)) {
                    Thread drain = new Thread(() -> drain(reader), "external-broker-output");
                    drain.setDaemon(true);
                    drain.start();
                    return true;
                }
                System.out.println("[external broker] " + line);
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static void drain(BufferedReader reader) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("[external broker] " + line);
            }
        } catch (IOException e) {
            // The process has ended.
        }
    }

    private void deleteData() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Kills the broker process at once (SIGKILL) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Kills the broker if it runs and deletes its data folder. */
    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null && process.isAlive()) {
            kill();
        }
        deleteData();
    }
}

package org.opentokgateway.archive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;

/** The optional download of available archives, against a local HTTP server on 127.0.0.1. */
class ArchiveDownloadRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Size of the generated file of the big-file test; 3 GiB unless told otherwise. */
    private static final long BIG_BYTES = Long.getLong("gateway.test.big-download-bytes", 3L << 30);

    private static HttpServer files;
    private static final Map<String, byte[]> SERVED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    private static Path staging;
    private static RunningGateway gateway;
    private static final List<ReceivedMessage> JOBS = new CopyOnWriteArrayList<>();
    private static final List<ReceivedMessage> ALERTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/files/", ArchiveDownloadRouteTest::serve);
        files.createContext("/big/", ArchiveDownloadRouteTest::serveBig);
        files.start();
        staging = Files.createTempDirectory("gateway-staging-");
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.archive.download.enabled", "true",
                                "gateway.archive.download.staging-dir", staging.toString(),
                                "gateway.archive.download.allowed-url-prefixes",
                                        fileUrl("").replace("/files/", "/"),
                                "gateway.archive.download.max-attempts", "3",
                                "gateway.archive.download.backoff-ms", "100"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        gateway.closeAndDelete();
        files.stop(0);
        try (Stream<Path> left = Files.walk(staging)) {
            left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void should_download_the_file_and_send_its_job_with_the_local_path() throws Exception {
        byte[] content = randomBytes(300_000);
        String base64Id = UUID.randomUUID().toString();
        String hexId = UUID.randomUUID().toString();
        SERVED.put(base64Id, content);
        SERVED.put(hexId, content);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);

        post(
                available(
                        base64Id,
                        fileUrl(base64Id),
                        content.length,
                        Base64.getEncoder().encodeToString(digest)));
        post(available(hexId, fileUrl(hexId), content.length, HexFormat.of().formatHex(digest)));

        for (String id : List.of(base64Id, hexId)) {
            JsonNode location = JSON.readTree(awaitJob(id).body()).get("location");
            Path local = Path.of(location.get("localPath").asText());
            assertEquals(staging.resolve(id + ".mp4").toAbsolutePath(), local);
            assertArrayEquals(content, Files.readAllBytes(local));
            assertTrue(location.get("checksumVerified").asBoolean());
            assertEquals(fileUrl(id), location.get("url").asText());
            assertEquals(1, REQUESTS.get(id).get());
        }
    }

    @Test
    void should_alert_after_bounded_retries_when_the_checksum_is_wrong() throws Exception {
        byte[] content = randomBytes(50_000);
        String id = UUID.randomUUID().toString();
        SERVED.put(id, content);
        String wrong =
                Base64.getEncoder()
                        .encodeToString(
                                MessageDigest.getInstance("SHA-256").digest(randomBytes(10)));

        post(available(id, fileUrl(id), content.length, wrong));

        JsonNode alert = JSON.readTree(awaitAlert(id).body());
        assertEquals("archive-download-failed", alert.get("kind").asText());
        assertEquals("error", alert.get("severity").asText());
        assertEquals(
                "sha256 mismatch (attempt 3 of 3)", alert.get("details").get("reason").asText());
        assertEquals(3, REQUESTS.get(id).get());
        assertNoJobAndNoFile(id);
    }

    @Test
    void should_alert_after_bounded_retries_when_the_file_is_missing() throws Exception {
        String id = UUID.randomUUID().toString();

        post(available(id, fileUrl(id), 1000, ""));

        JsonNode alert = JSON.readTree(awaitAlert(id).body());
        assertEquals("HTTP 404 (attempt 3 of 3)", alert.get("details").get("reason").asText());
        assertEquals(3, REQUESTS.get(id).get());
        assertNoJobAndNoFile(id);
    }

    @Test
    void should_never_fetch_a_url_outside_the_allowed_prefixes() throws Exception {
        String id = UUID.randomUUID().toString();
        SERVED.put(id, randomBytes(100));
        String elsewhere = "http://localhost:" + files.getAddress().getPort() + "/files/" + id;

        post(available(id, elsewhere, 100, ""));

        JsonNode alert = JSON.readTree(awaitAlert(id).body());
        assertEquals(
                "the URL is not among the allowed download prefixes",
                alert.get("details").get("reason").asText());
        assertEquals(null, REQUESTS.get(id), "no request reached the server");
        assertNoJobAndNoFile(id);
    }

    /**
     * Run by hand with a small heap to see that the file is streamed, never held whole: {@code mvn
     * test -Dtest=ArchiveDownloadRouteTest -Dgateway.test.big-download=true -DargLine=-Xmx256m}.
     */
    @Test
    @EnabledIfSystemProperty(named = "gateway.test.big-download", matches = "true")
    void should_stream_a_file_larger_than_the_heap() throws Exception {
        String id = UUID.randomUUID().toString();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] block = bigBlock();
        for (long done = 0; done < BIG_BYTES; done += block.length) {
            digest.update(block, 0, (int) Math.min(block.length, BIG_BYTES - done));
        }

        post(
                available(
                        id,
                        fileUrl("").replace("/files/", "/big/") + id,
                        BIG_BYTES,
                        Base64.getEncoder().encodeToString(digest.digest())));

        await().atMost(Duration.ofSeconds(300))
                .until(
                        () -> {
                            collect();
                            return JOBS.stream().anyMatch(m -> id.equals(m.header("archiveId")))
                                    || ALERTS.stream()
                                            .anyMatch(m -> id.equals(m.header("archiveId")));
                        });
        ReceivedMessage job =
                JOBS.stream()
                        .filter(m -> id.equals(m.header("archiveId")))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no job; alert: "
                                                        + new String(
                                                                awaitAlert(id).body(),
                                                                java.nio.charset.StandardCharsets
                                                                        .UTF_8)));
        Path local = Path.of(JSON.readTree(job.body()).get("location").get("localPath").asText());
        assertEquals(BIG_BYTES, Files.size(local));
        Files.delete(local);
    }

    private static void assertNoJobAndNoFile(String id) throws Exception {
        String sentinel = UUID.randomUUID().toString();
        post(available(sentinel, fileUrl(sentinel), 1000, ""));
        awaitAlert(sentinel);
        assertFalse(JOBS.stream().anyMatch(m -> id.equals(m.header("archiveId"))));
        try (Stream<Path> left = Files.list(staging)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(id)));
        }
    }

    private static ReceivedMessage awaitJob(String id) {
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            collect();
                            return JOBS.stream().anyMatch(m -> id.equals(m.header("archiveId")));
                        });
        return JOBS.stream()
                .filter(m -> id.equals(m.header("archiveId")))
                .findFirst()
                .orElseThrow();
    }

    private static ReceivedMessage awaitAlert(String id) {
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            collect();
                            return ALERTS.stream().anyMatch(m -> id.equals(m.header("archiveId")));
                        });
        return ALERTS.stream()
                .filter(m -> id.equals(m.header("archiveId")))
                .findFirst()
                .orElseThrow();
    }

    private static void collect() throws Exception {
        JOBS.addAll(gateway.drain("opentok.transcode.jobs"));
        ALERTS.addAll(gateway.drain("opentok.ops.alerts"));
    }

    private static void post(byte[] body) throws Exception {
        assertEquals(200, gateway.postJson("/callbacks/archive", body).statusCode());
    }

    private static byte[] available(String id, String url, long size, String sha256sum)
            throws Exception {
        return Samples.archive(
                "archive-available-vex.json", id, "url", url, "size", size, "sha256sum", sha256sum);
    }

    private static String fileUrl(String name) {
        return "http://127.0.0.1:" + files.getAddress().getPort() + "/files/" + name;
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random().nextBytes(bytes);
        return bytes;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/files/".length());
        REQUESTS.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        byte[] content = SERVED.get(name);
        try (exchange) {
            if (content == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, content.length);
            exchange.getResponseBody().write(content);
        }
    }

    /** Streams BIG_BYTES of a repeated block, generated on the fly. */
    private static void serveBig(HttpExchange exchange) throws IOException {
        byte[] block = bigBlock();
        try (exchange) {
            exchange.sendResponseHeaders(200, BIG_BYTES);
            OutputStream out = exchange.getResponseBody();
            for (long done = 0; done < BIG_BYTES; done += block.length) {
                out.write(block, 0, (int) Math.min(block.length, BIG_BYTES - done));
            }
        }
    }

    private static byte[] bigBlock() {
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        return block;
    }
}

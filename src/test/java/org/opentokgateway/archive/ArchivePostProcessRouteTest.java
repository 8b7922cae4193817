package org.opentokgateway.archive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentokgateway.alerts.OpsAlert;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;

/** Archive post-processing end to end: callbacks over HTTP, jobs and alerts off the real broker. */
class ArchivePostProcessRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOBS = "opentok.transcode.jobs";
    private static final String ALERTS = "opentok.ops.alerts";
    private static final String ARCHIVE_EVENTS = "opentok.archive.events";

    private static RunningGateway gateway;
    private static final Map<String, List<ReceivedMessage>> JOBS_BY_ARCHIVE =
            new ConcurrentHashMap<>();
    private static final Map<String, List<ReceivedMessage>> ALERTS_BY_ARCHIVE =
            new ConcurrentHashMap<>();

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = RunningGateway.start(Map.of("gateway.archive.bucket", "recordings-bucket"));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_emit_one_mp4_job_for_a_composed_archive_through_started_stopped_available()
            throws Exception {
        String id = freshId();
        long before = System.currentTimeMillis();

        post(gateway, Samples.archive("archive-started-streams.json", id));
        post(gateway, Samples.archive("archive-stopped-max-duration.json", id));
        post(gateway, Samples.archive("archive-available-vex.json", id));

        ReceivedMessage message = awaitOnlyJob(gateway, id);
        JsonNode job = JSON.readTree(message.body());
        assertEquals(id, job.get("archiveId").asText());
        assertEquals(
                "1_MX40NjI2NDk1Mn5-MTYyMjAzNjM4Nzk1NX4xV1Vkd25RMWwyZkRicWtLVGNVd1BVd2t-fg",
                job.get("sessionId").asText());
        assertTrue(job.get("projectId").isTextual(), "the numeric projectId travels as text");
        assertEquals("1234567", job.get("projectId").asText());
        assertEquals("", job.get("name").asText());
        assertEquals("composed", job.get("outputMode").asText());
        assertEquals("mp4", job.get("fileType").asText());
        assertEquals("640x480", job.get("resolution").asText());
        assertEquals(66, job.get("duration").asLong());
        assertEquals(19262817L, job.get("size").asLong());
        assertEquals("4l6MKdPeiCOnt1UaQWMBSovKcTrg+Co5eNsyUp7Q/Jo=", job.get("sha256sum").asText());
        assertTrue(job.get("hasAudio").asBoolean());
        assertTrue(job.get("hasVideo").asBoolean());
        assertEquals("available", job.get("readyStatus").asText());
        assertEquals("2021-05-26T14:36:34Z", job.get("updatedAt").asText());
        JsonNode location = job.get("location");
        assertEquals("url", location.get("type").asText());
        assertEquals("https://s3.eu-west-1.amazonaws.com/...", location.get("url").asText());
        Instant received = Instant.parse(job.get("receivedAt").asText());
        assertTrue(
                !received.isBefore(Instant.ofEpochMilli(before).minusSeconds(1)), job.toString());
        assertEquals(received.plusSeconds(600), Instant.parse(location.get("expiresAt").asText()));
        assertEquals(id, message.header("archiveId"));
        assertEquals("available", message.header("readyStatus"));
        assertEquals("composed", message.header("outputMode"));
    }

    @Test
    void should_emit_one_zip_job_for_an_individual_archive_through_started_stopped_available()
            throws Exception {
        String id = freshId();

        post(
                gateway,
                Samples.archive("archive-started-streams.json", id, "outputMode", "individual"));
        post(
                gateway,
                Samples.archive(
                        "archive-stopped-max-duration.json", id, "outputMode", "individual"));
        post(
                gateway,
                Samples.archive(
                        "archive-available-doc.json",
                        id,
                        "outputMode",
                        "individual",
                        "resolution",
                        null));

        JsonNode job = JSON.readTree(awaitOnlyJob(gateway, id).body());
        assertEquals("individual", job.get("outputMode").asText());
        assertEquals("zip", job.get("fileType").asText());
        assertTrue(job.get("resolution").isNull(), "individual archives have no resolution");
        assertEquals("123456", job.get("projectId").asText(), "partnerId stands in for projectId");
        assertEquals("Foo", job.get("name").asText());
        assertEquals(328, job.get("duration").asLong());
        assertTrue(job.get("sha256sum").isNull(), "the doc sample carries no checksum");
        assertEquals("url", job.get("location").get("type").asText());
    }

    @Test
    void should_keep_every_archive_callback_on_the_archive_events_queue_too() throws Exception {
        String id = freshId();

        post(gateway, Samples.archive("archive-started-streams.json", id));
        post(gateway, Samples.archive("archive-available-vex.json", id));

        awaitOnlyJob(gateway, id);
        List<ReceivedMessage> kept = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            gateway.drain(ARCHIVE_EVENTS).stream()
                                    .filter(m -> id.equals(m.header("archiveId")))
                                    .forEach(kept::add);
                            return kept.size() >= 2;
                        });
        assertEquals(2, kept.size());
    }

    @Test
    void should_emit_the_bucket_key_when_uploaded_arrives_before_stopped() throws Exception {
        String id = freshId();

        post(gateway, Samples.archive("archive-uploaded-before-stopped-small.json", id));
        post(gateway, Samples.archive("archive-stopped-after-uploaded-small.json", id));
        post(gateway, Samples.archive("archive-available-doc.json", id));

        JsonNode job = JSON.readTree(awaitOnlyJob(gateway, id).body());
        assertEquals("uploaded", job.get("readyStatus").asText());
        JsonNode location = job.get("location");
        assertEquals("bucket", location.get("type").asText());
        assertEquals("recordings-bucket", location.get("bucket").asText());
        assertEquals("123456/" + id + "/archive.mp4", location.get("objectKey").asText());
        assertEquals("rgfW0TO53DFJSqtlAfxPH9iG6edYFwBMaul4cdPhAQY=", job.get("sha256sum").asText());
    }

    @Test
    void should_name_a_zip_key_and_keep_a_size_over_2_gib_for_uploaded_archives() throws Exception {
        String individual = freshId();
        String large = freshId();

        post(
                gateway,
                Samples.archive("archive-uploaded-storycorps-2020-individual.json", individual));
        post(gateway, Samples.archive("archive-uploaded-size-over-2gib.json", large));

        JsonNode zip = JSON.readTree(awaitOnlyJob(gateway, individual).body());
        assertEquals(
                "46565552/" + individual + "/archive.zip",
                zip.get("location").get("objectKey").asText());
        JsonNode big = JSON.readTree(awaitOnlyJob(gateway, large).body());
        assertEquals(3221225472L, big.get("size").asLong());
        assertEquals("all-day-town-hall", big.get("name").asText());
    }

    @Test
    void should_emit_one_job_when_the_same_callback_comes_three_times() throws Exception {
        String id = freshId();
        byte[] available = Samples.archive("archive-available-vex.json", id);

        // The intake would answer the repeats as duplicates without storing them; forgetting
        // its keys lets all three copies reach post-processing, whose own record must hold.
        for (int i = 0; i < 3; i++) {
            gateway.forgetSeenCallbacks();
            assertTrue(
                    gateway.postJson("/callbacks/archive", available).body().contains("stored"));
        }

        awaitOnlyJob(gateway, id);
    }

    @Test
    void should_emit_one_job_through_paused_started_cycles_and_a_later_fallback() throws Exception {
        String id = freshId();

        post(gateway, Samples.archive("archive-started-streams.json", id));
        post(gateway, Samples.archive("archive-paused.json", id));
        post(gateway, Samples.archive("archive-started-streams.json", id));
        post(gateway, Samples.archive("archive-paused.json", id));
        post(gateway, Samples.archive("archive-started-streams.json", id));
        post(gateway, Samples.archive("archive-stopped-max-duration.json", id));
        post(gateway, Samples.archive("archive-uploaded-before-stopped-small.json", id));
        post(gateway, Samples.archive("archive-available-vex.json", id));

        JsonNode job = JSON.readTree(awaitOnlyJob(gateway, id).body());
        assertEquals("uploaded", job.get("readyStatus").asText(), "the first ready status wins");
    }

    @Test
    void should_alert_once_and_emit_no_job_for_a_failed_archive() throws Exception {
        String id = freshId();
        byte[] failed = Samples.archive("archive-failed.json", id);

        post(gateway, Samples.archive("archive-started-streams.json", id));
        post(gateway, failed);
        // Past the intake's de-duplication, so the repeat reaches post-processing.
        gateway.forgetSeenCallbacks();
        post(gateway, failed);

        settle(gateway);
        assertEquals(0, jobsOf(id).size());
        assertEquals(1, alertsOf(id).size());
        ReceivedMessage message = alertsOf(id).get(0);
        JsonNode alert = JSON.readTree(message.body());
        assertEquals(
                List.of("kind", "severity", "subject", "details", "firstSeen", "lastSeen", "count"),
                fieldNames(alert));
        assertEquals("archive-failed", alert.get("kind").asText());
        assertEquals("error", alert.get("severity").asText());
        assertEquals(
                "Archive " + id + " failed: archiver process terminated unexpectedly",
                alert.get("subject").asText());
        JsonNode details = alert.get("details");
        assertEquals(
                List.of(
                        "archiveId",
                        "sessionId",
                        "projectId",
                        "status",
                        "reason",
                        "createdAt",
                        "updatedAt"),
                fieldNames(details));
        assertEquals(id, details.get("archiveId").asText());
        assertEquals(
                "2_MX4xMzExMjU3MX5-MTQ3MDI1NzY3OTkxOH45QXRr", details.get("sessionId").asText());
        assertEquals("123456", details.get("projectId").asText());
        assertEquals("failed", details.get("status").asText());
        assertEquals("archiver process terminated unexpectedly", details.get("reason").asText());
        assertEquals("2016-08-03T20:54:48Z", details.get("createdAt").asText());
        assertEquals("2016-08-03T20:56:30Z", details.get("updatedAt").asText());
        assertEquals(alert.get("firstSeen").asText(), alert.get("lastSeen").asText());
        Instant.parse(alert.get("firstSeen").asText());
        assertEquals(1, alert.get("count").asInt());
        assertEquals("archive-failed", message.header("alertKind"));
        OpsAlert parsed = OpsAlert.fromJson(new String(message.body(), StandardCharsets.UTF_8));
        assertEquals(id, parsed.details().get("archiveId"));
    }

    @Test
    void should_alert_and_go_on_when_an_archive_id_cannot_be_used() throws Exception {
        String tooLong = "x".repeat(300);
        String climbing = "../../etc/passwd";

        post(gateway, Samples.archive("archive-uploaded-before-stopped-small.json", tooLong));
        post(gateway, Samples.archive("archive-uploaded-before-stopped-small.json", climbing));

        // settle() waits for a later archive's job, so the consumer did not stall on these.
        settle(gateway);
        assertEquals(0, jobsOf(tooLong).size());
        assertEquals(0, jobsOf(climbing).size());
        for (String id : List.of(tooLong, climbing)) {
            assertEquals(1, alertsOf(id).size(), "alerts for " + id);
            JsonNode alert = JSON.readTree(alertsOf(id).get(0).body());
            assertEquals("archive-invalid", alert.get("kind").asText());
            assertEquals(id, alert.get("details").get("archiveId").asText());
        }
    }

    @Test
    void should_count_emitted_jobs_and_raised_alerts_in_the_metrics() throws Exception {
        settle(gateway);
        double jobsBefore = metric("gateway_transcoding_jobs_total ");
        double alertsBefore = metric("gateway_alerts_total{kind=\"archive-failed\"");

        post(gateway, Samples.archive("archive-failed.json", freshId()));
        settle(gateway);

        assertEquals(1, metric("gateway_transcoding_jobs_total ") - jobsBefore, "the settle job");
        assertEquals(1, metric("gateway_alerts_total{kind=\"archive-failed\"") - alertsBefore);
    }

    /** The value of the first metric line that starts with the prefix; 0 when there is none. */
    private static double metric(String prefix) throws Exception {
        for (String line : gateway.getManagement("/observe/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void should_alert_for_an_archive_that_expired_before_any_job() throws Exception {
        String id = freshId();

        post(gateway, Samples.archive("archive-stopped-max-duration.json", id));
        post(gateway, Samples.archive("archive-expired.json", id));
        post(gateway, Samples.archive("archive-available-vex.json", id));

        settle(gateway);
        assertEquals(0, jobsOf(id).size(), "a late available after expiry points at a gone file");
        assertEquals(1, alertsOf(id).size());
        JsonNode alert = JSON.readTree(alertsOf(id).get(0).body());
        assertEquals("archive-expired", alert.get("kind").asText());
        assertEquals("warning", alert.get("severity").asText());
        assertEquals("expired", alert.get("details").get("status").asText());
        assertEquals(1, alert.get("count").asInt());
    }

    @Test
    void should_not_alert_when_an_archive_expires_after_its_job() throws Exception {
        String id = freshId();

        post(gateway, Samples.archive("archive-available-vex.json", id));
        post(gateway, Samples.archive("archive-expired.json", id));

        settle(gateway);
        assertEquals(1, jobsOf(id).size());
        assertEquals(0, alertsOf(id).size());
    }

    @Test
    void should_emit_exactly_one_job_across_a_restart_of_the_gateway() throws Exception {
        Path dataDir = Files.createTempDirectory("gateway-archive-restart-");
        int httpPort = RunningGateway.freePort();
        int brokerPort = RunningGateway.freePort();
        String waiting = freshId();
        String done = freshId();
        Map<String, List<ReceivedMessage>> jobs = new ConcurrentHashMap<>();
        RunningGateway first = RunningGateway.start(Map.of(), dataDir, httpPort, brokerPort);
        post(first, Samples.archive("archive-started-streams.json", waiting));
        post(first, Samples.archive("archive-stopped-max-duration.json", waiting));
        post(first, Samples.archive("archive-available-vex.json", done));
        awaitJobIn(first, jobs, done);
        first.close();

        RunningGateway second = RunningGateway.start(Map.of(), dataDir, httpPort, brokerPort);
        try {
            post(second, Samples.archive("archive-available-vex.json", waiting));
            post(second, Samples.archive("archive-available-vex.json", waiting));
            post(second, Samples.archive("archive-available-vex.json", done));
            post(second, Samples.archive("archive-uploaded-before-stopped-small.json", done));
            String sentinel = freshId();
            post(second, Samples.archive("archive-uploaded-before-stopped-small.json", sentinel));
            awaitJobIn(second, jobs, sentinel);

            assertEquals(1, jobs.getOrDefault(waiting, List.of()).size());
            assertEquals(1, jobs.getOrDefault(done, List.of()).size());
        } finally {
            second.closeAndDelete();
        }
    }

    /** Waits for the archive's job, then makes sure every earlier callback was handled. */
    private static ReceivedMessage awaitOnlyJob(RunningGateway target, String archiveId)
            throws Exception {
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            collect(target);
                            return !jobsOf(archiveId).isEmpty();
                        });
        settle(target);
        assertEquals(1, jobsOf(archiveId).size(), "jobs for " + archiveId);
        return jobsOf(archiveId).get(0);
    }

    /**
     * The post-processing route reads its queue in order with one consumer: once the job of an
     * archive posted last is out, every callback posted before it has been handled.
     */
    private static void settle(RunningGateway target) throws Exception {
        String sentinel = freshId();
        post(target, Samples.archive("archive-uploaded-before-stopped-small.json", sentinel));
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            collect(target);
                            return !jobsOf(sentinel).isEmpty();
                        });
    }

    private static void awaitJobIn(
            RunningGateway target, Map<String, List<ReceivedMessage>> jobs, String archiveId) {
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            for (ReceivedMessage job : target.drain(JOBS)) {
                                jobs.computeIfAbsent(
                                                job.header("archiveId"),
                                                k -> new CopyOnWriteArrayList<>())
                                        .add(job);
                            }
                            return jobs.containsKey(archiveId);
                        });
    }

    private static void collect(RunningGateway target) throws Exception {
        for (ReceivedMessage job : target.drain(JOBS)) {
            JOBS_BY_ARCHIVE
                    .computeIfAbsent(job.header("archiveId"), k -> new CopyOnWriteArrayList<>())
                    .add(job);
        }
        for (ReceivedMessage alert : target.drain(ALERTS)) {
            ALERTS_BY_ARCHIVE
                    .computeIfAbsent(alert.header("archiveId"), k -> new CopyOnWriteArrayList<>())
                    .add(alert);
        }
    }

    private static List<ReceivedMessage> jobsOf(String archiveId) {
        return JOBS_BY_ARCHIVE.getOrDefault(archiveId, List.of());
    }

    private static List<ReceivedMessage> alertsOf(String archiveId) {
        return ALERTS_BY_ARCHIVE.getOrDefault(archiveId, List.of());
    }

    private static void post(RunningGateway target, byte[] body) throws Exception {
        assertEquals(200, target.postJson("/callbacks/archive", body).statusCode());
    }

    private static String freshId() {
        return UUID.randomUUID().toString();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}

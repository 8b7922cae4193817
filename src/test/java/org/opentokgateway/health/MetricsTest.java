package org.opentokgateway.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;
import org.opentokgateway.support.Samples.Sample;

/** The gateway's Prometheus metrics move by exactly what a known set of callbacks causes. */
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CALLBACKS = "gateway_callbacks_total";

    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = RunningGateway.start(Map.of());
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_count_every_sample_by_family_and_outcome_and_time_each_store() throws Exception {
        gateway.forgetSeenCallbacks();
        List<Sample> samples = Samples.all();
        Map<String, Integer> storedByFamily = new HashMap<>();
        int rejected = 0;
        for (Sample sample : samples) {
            if (sample.stored()) {
                storedByFamily.merge(sample.family(), 1, Integer::sum);
            } else {
                rejected++;
            }
        }
        int stored = storedByFamily.values().stream().mapToInt(Integer::intValue).sum();
        Scrape before = scrape();

        for (Sample sample : samples) {
            HttpResponse<String> answer = gateway.postJson(sample.path(), sample.bytes());
            assertEquals(sample.status(), answer.statusCode(), sample.file());
        }

        Scrape after = scrape();
        for (Map.Entry<String, Integer> family : storedByFamily.entrySet()) {
            Map<String, String> labels = Map.of("family", family.getKey(), "outcome", "stored");
            assertEquals(
                    family.getValue().doubleValue(),
                    after.sum(CALLBACKS, labels) - before.sum(CALLBACKS, labels),
                    family.getKey());
        }
        Map<String, String> refused = Map.of("family", "none", "outcome", "rejected");
        assertEquals(rejected, after.sum(CALLBACKS, refused) - before.sum(CALLBACKS, refused));
        assertEquals(samples.size(), after.sum(CALLBACKS) - before.sum(CALLBACKS));
        Map<String, String> storedTimer = Map.of("outcome", "stored");
        assertEquals(
                stored,
                after.sum("gateway_store_seconds_count", storedTimer)
                        - before.sum("gateway_store_seconds_count", storedTimer));
        Map<String, String> allBuckets = Map.of("outcome", "stored", "le", "+Inf");
        assertEquals(
                stored,
                after.sum("gateway_store_seconds_bucket", allBuckets)
                        - before.sum("gateway_store_seconds_bucket", allBuckets));
    }

    @Test
    void should_count_probes_wrong_methods_and_oversized_bodies_under_their_own_outcome()
            throws Exception {
        Scrape before = scrape();

        gateway.postJson("/callbacks/session", new byte[0]);
        gateway.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/callbacks/session"))
                        .GET()
                        .build());
        gateway.postJson("/callbacks/session", new byte[300 * 1024]);

        await("the oversized request counted")
                .atMost(WAIT)
                .until(() -> delta(before, scrape(), "too-large") == 1);
        Scrape after = scrape();
        assertEquals(1, delta(before, after, "probe"));
        assertEquals(1, delta(before, after, "method-not-allowed"));
        assertEquals(0, delta(before, after, "stored"));
    }

    @Test
    void should_show_queue_depths_and_dead_letters_of_the_embedded_broker() throws Exception {
        gateway.drain("opentok.stream.events");
        gateway.forgetSeenCallbacks();
        byte[] stream = Files.readAllBytes(Samples.DIR.resolve("stream/stream-created-doc.json"));
        byte[] audioOnly =
                Files.readAllBytes(Samples.DIR.resolve("stream/stream-created-audio-only.json"));
        double deadBefore = scrape().sum("gateway_dead_letters");

        gateway.postJson("/callbacks/session", stream);
        gateway.postJson("/callbacks/session", audioOnly);
        putOn("DLQ.opentok.session.events");

        Scrape after = scrape();
        assertEquals(2, after.sum("gateway_queue_depth", Map.of("queue", "opentok.stream.events")));
        assertEquals(deadBefore + 1, after.sum("gateway_dead_letters"));
    }

    @Test
    void should_count_transcoding_jobs_and_alerts_that_other_features_report() throws Exception {
        GatewayMetrics metrics =
                gateway.context()
                        .getRegistry()
                        .lookupByNameAndType("gatewayMetrics", GatewayMetrics.class);
        Scrape before = scrape();

        metrics.jobEmitted();
        metrics.alertRaised("archive-failed");
        metrics.alertRaised("archive-failed");

        Scrape after = scrape();
        assertEquals(
                1,
                after.sum("gateway_transcoding_jobs_total")
                        - before.sum("gateway_transcoding_jobs_total"));
        assertEquals(
                2,
                after.sum("gateway_alerts_total", Map.of("kind", "archive-failed"))
                        - before.sum("gateway_alerts_total", Map.of("kind", "archive-failed")));
        assertTrue(after.has("camel_exchanges_total"), "Camel's own metrics are served too");
    }

    private static double delta(Scrape before, Scrape after, String outcome) {
        Map<String, String> labels = Map.of("outcome", outcome);
        return after.sum(CALLBACKS, labels) - before.sum(CALLBACKS, labels);
    }

    private static Scrape scrape() throws Exception {
        HttpResponse<String> answer = gateway.getManagement("/observe/metrics");
        assertEquals(200, answer.statusCode(), answer.body());
        return new Scrape(answer.body());
    }

    private static void putOn(String queue) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(gateway.brokerUrl());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.send(session.createTextMessage("{\"event\":\"dead\"}"));
        }
    }
}

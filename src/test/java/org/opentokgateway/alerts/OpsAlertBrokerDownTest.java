package org.opentokgateway.alerts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;

/**
 * The "done when": with a local SMTP server, a failed archive gives one readable mail, and
 * 200 callbacks answered 503 while the broker is down give two mails, not 200.
 */
class OpsAlertBrokerDownTest {

    private GreenMail smtp;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        int smtpPort = RunningGateway.freePort();
        smtp = AlertTestSupport.smtpServer(smtpPort);
        smtp.start();
        Map<String, String> props = AlertTestSupport.mailOn(smtpPort);
        props.put("gateway.alerts.window", "10s");
        props.put("gateway.broker.send-timeout-ms", "1000");
        gateway = RunningGateway.start(props);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
        smtp.stop();
    }

    @Test
    void should_mail_a_failed_archive_once_and_200_broker_down_failures_twice() throws Exception {
        AlertTestSupport.publish(gateway, archiveFailedAlert());
        await("the archive-failed mail")
                .atMost(Duration.ofSeconds(20))
                .until(() -> smtp.getReceivedMessages().length == 1);
        byte[] callback =
                Files.readAllBytes(Samples.DIR.resolve("connection/connection-created-doc.json"));
        EmbeddedBroker broker =
                gateway.context()
                        .getRegistry()
                        .lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);

        broker.stop();
        AtomicInteger unavailable = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(
                        senders.submit(
                                () -> {
                                    if (gateway.postJson("/callbacks/session", callback)
                                                    .statusCode()
                                            == 503) {
                                        unavailable.incrementAndGet();
                                    }
                                    return null;
                                }));
            }
            for (Future<?> each : sent) {
                each.get();
            }
        } finally {
            senders.shutdownNow();
        }

        assertEquals(
                200, unavailable.get(), "every callback is answered 503 while the broker is down");
        await("an immediate callback-errors mail and one digest")
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                AlertTestSupport.mailsOfKind(smtp, AlertKinds.CALLBACK_ERRORS)
                                                .size()
                                        >= 2);
        List<MimeMessage> errors = AlertTestSupport.mailsOfKind(smtp, AlertKinds.CALLBACK_ERRORS);
        assertEquals(2, errors.size());
        String first = AlertTestSupport.body(errors.get(0));
        assertTrue(first.contains("callbacks answered 503 in the last 5 minutes"), first);
        String words = first.replaceAll("\\s+", " ");
        assertTrue(words.contains("more than 50 failed deliveries within 30 minutes"), first);
        assertTrue(words.contains("save the callback URL again"), first);
        long immediate = AlertTestSupport.number(first, "How often:\\s+(\\d+) time");
        long folded =
                AlertTestSupport.number(
                        errors.get(1).getSubject(), "callback-errors digest: (\\d+) time");
        assertEquals(5, immediate, "the first mail is sent when the threshold is crossed");
        assertEquals(
                200, immediate + folded, "every failure is counted once, in one of the two mails");
        Thread.sleep(2_000);
        assertEquals(
                3,
                smtp.getReceivedMessages().length,
                "one archive mail and two callback-errors mails");
    }

    /** What the archive post-processing publishes for samples/archive/archive-failed.json. */
    private static OpsAlert archiveFailedAlert() throws Exception {
        JsonNode archive =
                new ObjectMapper()
                        .readTree(
                                Files.readAllBytes(
                                        Samples.DIR.resolve("archive/archive-failed.json")));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("archiveId", archive.get("id").asText());
        details.put("sessionId", archive.get("sessionId").asText());
        details.put("status", archive.get("status").asText());
        details.put("reason", archive.get("reason").asText());
        return OpsAlert.of(
                AlertKinds.ARCHIVE_FAILED,
                OpsAlert.ERROR,
                "Archive " + archive.get("id").asText() + " failed",
                details);
    }
}

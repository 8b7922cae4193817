package org.opentokgateway.alerts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;

/** A mail the SMTP server cannot take yet stays queued and is retried until the server is back. */
class OpsAlertSmtpDownTest {

    private int smtpPort;
    private GreenMail smtp;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        smtpPort = RunningGateway.freePort();
        gateway = RunningGateway.start(AlertTestSupport.mailOn(smtpPort));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void should_deliver_the_mail_once_the_smtp_server_is_back() throws Exception {
        OpsAlert alert =
                OpsAlert.of(
                        AlertKinds.ARCHIVE_FAILED,
                        OpsAlert.ERROR,
                        "Archive a-1 failed",
                        Map.of("archiveId", "a-1"));
        AlertTestSupport.publish(gateway, alert);
        await("the mail waiting on its queue")
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                gateway.depth("opentok.ops.mail") == 1
                                        && gateway.depth("opentok.ops.alerts") == 0);
        // Several attempts fail meanwhile (delays 200 ms, 400 ms, ... up to 2 s).
        Thread.sleep(3_000);

        smtp = AlertTestSupport.smtpServer(smtpPort);
        smtp.start();

        await("the mail after the SMTP server came back")
                .atMost(Duration.ofSeconds(20))
                .until(() -> smtp.getReceivedMessages().length >= 1);
        await("the mail queue emptied")
                .atMost(Duration.ofSeconds(20))
                .until(() -> gateway.depth("opentok.ops.mail") == 0);
        assertEquals(1, smtp.getReceivedMessages().length);
        assertEquals(
                "[opentok-gateway] ERROR archive-failed: Archive a-1 failed",
                smtp.getReceivedMessages()[0].getSubject());
    }
}

package org.opentokgateway.alerts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;

/** With both the broker and the SMTP server away, a callback-errors mail waits in memory. */
class OpsAlertBrokerAndSmtpDownTest {

    private int smtpPort;
    private GreenMail smtp;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        smtpPort = RunningGateway.freePort();
        Map<String, String> props = AlertTestSupport.mailOn(smtpPort);
        props.put("gateway.broker.send-timeout-ms", "1000");
        gateway = RunningGateway.start(props);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void should_mail_callback_errors_once_the_smtp_server_is_back() throws Exception {
        byte[] callback =
                Files.readAllBytes(Samples.DIR.resolve("connection/connection-created-doc.json"));
        MailDispatcher dispatcher =
                gateway.context()
                        .getRegistry()
                        .lookupByNameAndType("mailDispatcher", MailDispatcher.class);
        gateway.context()
                .getRegistry()
                .lookupByNameAndType("embeddedBroker", EmbeddedBroker.class)
                .stop();
        for (int i = 0; i < 5; i++) {
            assertEquals(503, gateway.postJson("/callbacks/session", callback).statusCode());
        }
        await("the mail held in memory")
                .atMost(Duration.ofSeconds(20))
                .until(() -> dispatcher.heldCount() == 1);

        smtp = AlertTestSupport.smtpServer(smtpPort);
        smtp.start();

        await("the held mail delivered")
                .atMost(Duration.ofSeconds(20))
                .until(() -> smtp.getReceivedMessages().length >= 1);
        assertEquals(1, smtp.getReceivedMessages().length);
        String subject = smtp.getReceivedMessages()[0].getSubject();
        assertTrue(subject.contains("callback-errors: 5 callbacks answered 503"), subject);
        await("nothing left in memory")
                .atMost(Duration.ofSeconds(20))
                .until(() -> dispatcher.heldCount() == 0);
    }
}

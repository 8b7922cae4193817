package org.opentokgateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;

/**
 * With an external broker configured as the README says (a composite queue forwarding the archive
 * events to the post-processing queue), jobs come out as with the embedded broker.
 */
class ArchiveExternalBrokerRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BrokerService external;
    private String externalUrl;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        external = new BrokerService();
        external.setBrokerName("external-" + UUID.randomUUID());
        external.setPersistent(false);
        external.setUseJmx(false);
        external.setUseShutdownHook(false);
        externalUrl = "tcp://127.0.0.1:" + RunningGateway.freePort();
        external.addConnector(externalUrl);
        new ArchiveFanOut("opentok.archive.events", "opentok.archive.postprocess").accept(external);
        external.start();
        external.waitUntilStarted();
        gateway = RunningGateway.start(Map.of("gateway.broker.url", externalUrl));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
        external.stop();
        external.waitUntilStopped();
    }

    @Test
    void should_send_one_job_through_an_external_broker_that_forwards_archive_events()
            throws Exception {
        String id = UUID.randomUUID().toString();
        String sentinel = UUID.randomUUID().toString();

        assertEquals(
                200,
                gateway.postJson(
                                "/callbacks/archive",
                                Samples.archive("archive-available-vex.json", id))
                        .statusCode());
        assertEquals(
                200,
                gateway.postJson(
                                "/callbacks/archive",
                                Samples.archive("archive-available-vex.json", id))
                        .statusCode());
        assertEquals(
                200,
                gateway.postJson(
                                "/callbacks/archive",
                                Samples.archive("archive-available-vex.json", sentinel))
                        .statusCode());

        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(externalUrl);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer jobs =
                    session.createConsumer(session.createQueue("opentok.transcode.jobs"));
            MessageConsumer events =
                    session.createConsumer(session.createQueue("opentok.archive.events"));
            List<String> jobIds = new ArrayList<>();
            // One consumer reads in order: once the sentinel's job is out, all before it are.
            while (!jobIds.contains(sentinel)) {
                Message job = jobs.receive(20_000);
                assertNotNull(job, "jobs so far: " + jobIds);
                jobIds.add(job.getStringProperty("archiveId"));
            }
            assertEquals(List.of(id, sentinel), jobIds);
            // The repeat of the first callback is answered 200 but not stored again.
            for (int i = 0; i < 2; i++) {
                assertNotNull(events.receive(5_000), "the archive-events queue keeps its copies");
            }
        }
    }
}

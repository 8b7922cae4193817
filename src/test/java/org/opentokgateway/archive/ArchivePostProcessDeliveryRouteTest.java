package org.opentokgateway.archive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;

/**
 * How archive callbacks travel: both copies are stored before the 200, and a job is sent in one
 * broker transaction with the consumption of its callback.
 */
class ArchivePostProcessDeliveryRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunningGateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = RunningGateway.start(Map.of());
    }

    @AfterEach
    void stopGateway() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_store_the_post_processing_copy_before_answering_200() throws Exception {
        gateway.context().getRouteController().stopRoute("archive-postprocess");
        String id = UUID.randomUUID().toString();

        int status =
                gateway.postJson(
                                "/callbacks/archive",
                                Samples.archive("archive-available-vex.json", id))
                        .statusCode();

        assertEquals(200, status);
        assertEquals(1, gateway.depth("opentok.archive.postprocess"), "copy for post-processing");
        assertEquals(1, gateway.depth("opentok.archive.events"), "copy for any other consumer");
        gateway.context().getRouteController().startRoute("archive-postprocess");
        List<ReceivedMessage> jobs = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            jobs.addAll(gateway.drain("opentok.transcode.jobs"));
                            return !jobs.isEmpty();
                        });
        assertEquals(id, jobs.get(0).header("archiveId"));
        assertEquals(1, gateway.drain("opentok.archive.events").size());
    }

    @Test
    void should_take_back_a_job_whose_route_failed_and_send_it_once_on_redelivery()
            throws Exception {
        AtomicInteger failures = new AtomicInteger();
        AdviceWith.adviceWith(
                gateway.context(),
                "archive-postprocess",
                route ->
                        route.weaveById("archive-job-send")
                                .after()
                                .process(
                                        exchange -> {
                                            if (failures.getAndIncrement() == 0) {
                                                throw new IllegalStateException(
                                                        "failure after the job was sent");
                                            }
                                        }));
        String id = UUID.randomUUID().toString();
        List<ReceivedMessage> jobs = new CopyOnWriteArrayList<>();

        gateway.postJson("/callbacks/archive", Samples.archive("archive-available-vex.json", id));

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            jobs.addAll(gateway.drain("opentok.transcode.jobs"));
                            return failures.get() >= 2 && !jobs.isEmpty();
                        });
        String sentinel = UUID.randomUUID().toString();
        gateway.postJson(
                "/callbacks/archive", Samples.archive("archive-available-vex.json", sentinel));
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            jobs.addAll(gateway.drain("opentok.transcode.jobs"));
                            return jobs.stream()
                                    .anyMatch(job -> sentinel.equals(job.header("archiveId")));
                        });
        assertEquals(1, jobs.stream().filter(job -> id.equals(job.header("archiveId"))).count());
    }
}

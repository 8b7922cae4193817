package org.opentokgateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;

/**
 * Two gateways sharing one PostgreSQL key table take each other's callbacks for repeats. Runs only
 * when GATEWAY_TEST_POSTGRES_URL (and _USER, _PASSWORD) name a database to use.
 */
class SharedDatabaseDedupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_recognise_a_repeat_that_another_gateway_stored() throws Exception {
        String url = System.getenv("GATEWAY_TEST_POSTGRES_URL");
        assumeTrue(url != null && !url.isBlank(), "no PostgreSQL configured for this test");
        Map<String, String> shared =
                Map.of(
                        "gateway.dedup.jdbc-url",
                        url,
                        "gateway.dedup.jdbc-user",
                        System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_USER", ""),
                        "gateway.dedup.jdbc-password",
                        System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_PASSWORD", ""),
                        "gateway.dedup.repository-name",
                        "test-" + UUID.randomUUID());
        byte[] body = Files.readAllBytes(Samples.DIR.resolve("session/session-created.json"));
        RunningGateway first = RunningGateway.start(shared);
        RunningGateway second = RunningGateway.start(shared);
        try {
            String stored = outcome(first.postJson("/callbacks/session", body).body());
            String repeat = outcome(second.postJson("/callbacks/session", body).body());

            assertEquals("stored", stored);
            assertEquals("duplicate", repeat);
            assertEquals(1, first.keyRepository().size());
            first.forgetSeenCallbacks();
        } finally {
            first.closeAndDelete();
            second.closeAndDelete();
        }
    }

    private static String outcome(String answer) throws Exception {
        return JSON.readTree(answer).get("outcome").asText();
    }
}

package org.opentokgateway.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The per-kind debounce and the hourly cap, on a clock the test moves by hand. */
class AlertDigesterTest {

    private static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    private final AlertDigester digester =
            new AlertDigester(
                    Duration.ofMinutes(5), 3, 4, new AlertMailComposer("[gw]", "test gateway"));

    @Test
    void should_mail_the_first_alert_at_once_and_fold_the_rest_into_one_digest() {
        Optional<OpsMail> first = digester.accept(alert("callback-errors"), T0);

        for (int i = 1; i < 200; i++) {
            assertTrue(digester.accept(alert("callback-errors"), T0.plusSeconds(i)).isEmpty());
        }
        List<OpsMail> early = digester.dueDigests(T0.plusSeconds(299));
        List<OpsMail> due = digester.dueDigests(T0.plusSeconds(300));

        assertTrue(first.isPresent());
        assertTrue(early.isEmpty(), "no digest before the window ends");
        assertEquals(1, due.size());
        assertTrue(
                due.get(0).subject().startsWith("[gw] ERROR callback-errors digest: 199 times"),
                due.get(0).subject());
        assertTrue(due.get(0).body().contains("Examples (the first 3)"), due.get(0).body());
        assertTrue(digester.dueDigests(T0.plusSeconds(900)).isEmpty(), "nothing left to send");
    }

    @Test
    void should_debounce_each_kind_on_its_own() {
        Optional<OpsMail> errors = digester.accept(alert("callback-errors"), T0);
        Optional<OpsMail> archive = digester.accept(alert("archive-failed"), T0.plusSeconds(1));

        assertTrue(errors.isPresent());
        assertTrue(archive.isPresent());
    }

    @Test
    void should_hold_mails_over_the_hourly_cap_until_the_hour_allows() {
        for (int i = 0; i < 4; i++) {
            assertTrue(digester.accept(alert("kind-" + i), T0.plusSeconds(i)).isPresent());
        }

        Optional<OpsMail> capped = digester.accept(alert("kind-5"), T0.plusSeconds(10));
        List<OpsMail> stillCapped = digester.dueDigests(T0.plusSeconds(3599));
        List<OpsMail> afterHour = digester.dueDigests(T0.plusSeconds(3601));

        assertTrue(capped.isEmpty(), "the fifth mail of the hour waits");
        assertTrue(stillCapped.isEmpty());
        assertEquals(1, afterHour.size());
        String subject = afterHour.get(0).subject();
        assertTrue(subject.contains("kind-5 digest: 1 time"), subject);
    }

    @Test
    void should_read_back_the_json_it_writes() {
        OpsAlert alert =
                new OpsAlert(
                        "archive-failed",
                        "error",
                        "Archive x failed",
                        Map.of("archiveId", "x", "size", 0),
                        T0,
                        T0.plusSeconds(5),
                        2);

        OpsAlert read = OpsAlert.fromJson(alert.toJson());

        assertEquals(alert, read);
        assertTrue(
                alert.toJson().contains("\"firstSeen\":\"2026-01-10T08:00:00Z\""), alert.toJson());
    }

    private static OpsAlert alert(String kind) {
        return OpsAlert.of(kind, OpsAlert.ERROR, kind + " happened", Map.of("where", "test"));
    }
}

package org.opentokgateway.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the plain-text mails: one for the first alert of a kind, one digest for the alerts of that
 * kind folded during the window. What happened, how often, since when, what to check.
 */
public class AlertMailComposer {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private final String subjectPrefix;
    private final String gatewayName;

    public AlertMailComposer(String subjectPrefix, String gatewayName) {
        this.subjectPrefix =
                subjectPrefix == null || subjectPrefix.isBlank() ? "" : subjectPrefix.trim() + " ";
        this.gatewayName = gatewayName;
    }

    /** The mail for an alert that is sent at once. */
    public OpsMail immediate(OpsAlert alert, Duration window) {
        String subject =
                subjectPrefix
                        + alert.severity().toUpperCase(Locale.ROOT)
                        + " "
                        + alert.kind()
                        + ": "
                        + alert.subject();

        StringBuilder body = new StringBuilder();
        body.append("What happened\n  ").append(alert.subject()).append("\n\n");
        line(body, "Kind", alert.kind() + " (" + alert.severity() + ")");
        line(body, "How often", times(alert.count()));
        line(body, "First seen", TIME.format(alert.firstSeen()));
        line(body, "Last seen", TIME.format(alert.lastSeen()));
        line(body, "Gateway", gatewayName);
        details(body, "Details", alert.details());
        checks(body, alert.kind());
        body.append("\nMore alerts of this kind in the next ")
                .append(human(window))
                .append(" are collected into one digest mail.\n");
        return new OpsMail(subject, body.toString());
    }

    /** The digest of the alerts of one kind folded since its last mail. */
    public OpsMail digest(
            String kind,
            List<OpsAlert> examples,
            OpsAlert latest,
            int alerts,
            long count,
            Instant first,
            Instant last) {
        String severity = latest.severity().toUpperCase(Locale.ROOT);
        String subject =
                subjectPrefix
                        + severity
                        + " "
                        + kind
                        + " digest: "
                        + times(count)
                        + " between "
                        + TIME.format(first)
                        + " and "
                        + TIME.format(last);

        StringBuilder body = new StringBuilder();
        body.append("What happened\n  ").append(latest.subject()).append("\n\n");
        line(body, "Kind", kind + " (" + latest.severity() + ")");
        line(
                body,
                "How often",
                times(count)
                        + " in "
                        + alerts
                        + (alerts == 1 ? " alert" : " alerts")
                        + " since the previous mail");
        line(body, "First seen", TIME.format(first));
        line(body, "Last seen", TIME.format(last));
        line(body, "Gateway", gatewayName);
        body.append("\nExamples (the first ").append(examples.size()).append(")\n");
        for (OpsAlert example : examples) {
            body.append("  - ")
                    .append(TIME.format(example.lastSeen()))
                    .append("  ")
                    .append(example.subject());
            if (example.count() > 1) {
                body.append(" (").append(times(example.count())).append(")");
            }
            body.append('\n');
        }
        details(body, "Details of the latest", latest.details());
        checks(body, kind);
        return new OpsMail(subject, body.toString());
    }

    /** What the reader should look at for each kind; unknown kinds get a general hint. */
    static String whatToCheck(String kind) {
        switch (kind) {
            case AlertKinds.CALLBACK_ERRORS:
                return "The gateway could not store callbacks and answered them 503, so the"
                        + " platform has to deliver them again. Usually the broker is down or"
                        + " its disk is full: check GET /admin/queues and the gateway log.\n"
                        + "On the platform's older callback service, more than 50 failed"
                        + " deliveries within 30 minutes disable session monitoring for the"
                        + " project. If callbacks have stopped arriving, open the project's page"
                        + " in the video account, save the callback URL again, and check that"
                        + " events come in.";
            case AlertKinds.REJECTED_BURST:
                return "Many requests were refused (400 bad body, 401/403 bad signature, 413 too"
                        + " large). Look at the rejected queue (opentok.rejected: reason, path,"
                        + " headers, body): a wrong URL, a changed payload, a wrong signing"
                        + " secret, or someone probing the callback URL.";
            case AlertKinds.DEAD_LETTER:
                return "A message gave up after its retries and was moved to a dead-letter queue."
                        + " It stays there for replay: read it (the queue browser, GET"
                        + " /admin/queues), fix the cause named in the details, then move it"
                        + " back to its queue.";
            case AlertKinds.ARCHIVE_FAILED:
                return "The platform reports that the archive failed: the recording may be missing "
                        + "or incomplete. Check the archive in the video account or with the REST "
                        + "API, and tell the owner of the session.";
            case AlertKinds.ARCHIVE_EXPIRED:
                return "The archive expired on the platform before post-processing fetched it: the"
                        + " file is gone. Check the post-processing log around the first-seen"
                        + " time (download errors, storage target) so that the next one is"
                        + " fetched in time.";
            default:
                return "See the details above and the gateway log around the first-seen time.";
        }
    }

    private static void line(StringBuilder body, String label, String value) {
        body.append(String.format(Locale.ROOT, "%-12s%s%n", label + ":", value));
    }

    private static void details(StringBuilder body, String title, Map<String, Object> details) {
        if (details.isEmpty()) {
            return;
        }
        body.append('\n').append(title).append('\n');
        details.forEach(
                (key, value) ->
                        body.append("  ")
                                .append(key)
                                .append(": ")
                                .append(String.valueOf(value))
                                .append('\n'));
    }

    private static void checks(StringBuilder body, String kind) {
        body.append("\nWhat to check\n");
        for (String paragraph : whatToCheck(kind).split("\n")) {
            wrap(body, paragraph, 74);
        }
    }

    /** Appends a paragraph as lines of at most {@code width} characters, indented by two. */
    private static void wrap(StringBuilder body, String paragraph, int width) {
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                body.append("  ").append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            body.append("  ").append(line).append('\n');
        }
    }

    private static String times(long count) {
        return count == 1 ? "1 time" : count + " times";
    }

    /** A duration the way a person says it: "5 minutes", "30 seconds", "1 hour". */
    public static String human(Duration duration) {
        long seconds = duration.truncatedTo(ChronoUnit.SECONDS).getSeconds();
        if (seconds >= 3600 && seconds % 3600 == 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        if (seconds >= 1) {
            return plural(seconds, "second");
        }
        return duration.toMillis() + " ms";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}

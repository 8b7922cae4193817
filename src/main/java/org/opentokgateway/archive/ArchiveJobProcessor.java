package org.opentokgateway.archive;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.opentokgateway.alerts.OpsAlert;
import org.opentokgateway.archive.ArchiveLedger.Outcome;
import org.opentokgateway.intake.CallbackHeaders;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one stored archive callback leads to: the transcoding job (first ready status), a
 * failure or expiry alert, or nothing; claims it in the {@link ArchiveLedger} and turns the
 * exchange into the message to send. Route: {@code archive-postprocess}.
 */
public class ArchiveJobProcessor implements Processor {

    public static final String KIND_FAILED = "archive-failed";
    public static final String KIND_EXPIRED = "archive-expired";
    public static final String KIND_INVALID = "archive-invalid";

    /** What an archive id and a project id may hold: UUIDs and numbers, and a little more. */
    private static final java.util.regex.Pattern SAFE_ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveJobProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveSettings settings;
    private final ArchiveLedger ledger;
    private final boolean downloadFirst;

    /**
     * @param downloadFirst whether jobs of {@code available} archives go to the download route
     *     first (which sends them on with the local path) instead of straight out
     */
    public ArchiveJobProcessor(
            ArchiveSettings settings, ArchiveLedger ledger, boolean downloadFirst) {
        this.settings = settings;
        this.ledger = ledger;
        this.downloadFirst = downloadFirst;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        exchange.setProperty(ArchiveHeaders.ACTION, ArchiveHeaders.ACTION_NONE);
        ArchiveCallback callback = ArchiveCallback.parse(message.getBody(byte[].class));
        if (callback == null || callback.id() == null || callback.status() == null) {
            LOG.debug("Archive callback without id or status, nothing to post-process");
            return;
        }
        String messageId = message.getHeader("JMSMessageID", String.class);
        if (messageId == null) {
            throw new IllegalStateException("A stored archive callback has no JMS message id");
        }
        Long receivedMs = message.getHeader(CallbackHeaders.RECEIVED_AT, Long.class);
        Instant received = receivedMs == null ? Instant.now() : Instant.ofEpochMilli(receivedMs);

        String id = callback.id();
        String unusable = unusableIds(callback);
        if (unusable != null) {
            // Ids the platform never sends (too long for the ledger, or characters that would
            // lead a worker out of its bucket path): no job, one alert, and the consumer goes on
            // instead of retrying a message that can never succeed.
            toAlert(
                    exchange,
                    callback,
                    received,
                    KIND_INVALID,
                    OpsAlert.WARNING,
                    "An archive callback was not post-processed: " + unusable);
            return;
        }
        if (callback.ready()) {
            // A late retry of "available" after "expired" points at a file that is gone.
            if (ArchiveCallback.AVAILABLE.equals(callback.status())
                    && ledger.claimed(id, Outcome.EXPIRED)) {
                LOG.debug(
                        "Archive {} is available but already expired: no job", LogText.escape(id));
            } else if (ledger.claim(id, Outcome.JOB, messageId)) {
                toJob(exchange, callback, received);
            } else {
                LOG.debug(
                        "Archive {} {}: its job was emitted already",
                        LogText.escape(id),
                        LogText.escape(callback.status()));
            }
        } else if (ArchiveCallback.FAILED.equals(callback.status())) {
            if (ledger.claim(id, Outcome.FAILED, messageId)) {
                toAlert(
                        exchange,
                        callback,
                        received,
                        KIND_FAILED,
                        OpsAlert.ERROR,
                        "Archive "
                                + id
                                + " failed: "
                                + orElse(callback.reason(), "no reason given"));
            }
        } else if (ArchiveCallback.EXPIRED.equals(callback.status())) {
            // Expiry matters only when the recording was never handed to a job.
            if (!ledger.claimed(id, Outcome.JOB) && ledger.claim(id, Outcome.EXPIRED, messageId)) {
                toAlert(
                        exchange,
                        callback,
                        received,
                        KIND_EXPIRED,
                        OpsAlert.WARNING,
                        "Archive " + id + " expired before any post-processing job was started");
            }
        } else {
            LOG.debug(
                    "Archive {} {}: nothing to do",
                    LogText.escape(id),
                    LogText.escape(callback.status()));
        }
    }

    private void toJob(Exchange exchange, ArchiveCallback callback, Instant received)
            throws JsonProcessingException {
        boolean individual = callback.individual();
        String extension = individual ? "zip" : "mp4";
        ObjectNode job = JSON.createObjectNode();
        job.put("archiveId", callback.id());
        job.put("sessionId", callback.sessionId());
        job.put("projectId", callback.projectId());
        job.put("name", orElse(callback.name(), ""));
        job.put("outputMode", individual ? ArchiveCallback.INDIVIDUAL : "composed");
        job.put("fileType", extension);
        job.put("resolution", callback.resolution());
        job.put("duration", callback.duration());
        job.put("size", callback.size());
        job.put("sha256sum", callback.sha256sum());
        job.put("hasAudio", callback.hasAudio());
        job.put("hasVideo", callback.hasVideo());
        job.put("readyStatus", callback.status());
        job.put("createdAt", iso(callback.createdAt()));
        job.put("updatedAt", iso(callback.updatedAt()));
        job.put("receivedAt", received.toString());
        ObjectNode location = job.putObject("location");
        if (ArchiveCallback.AVAILABLE.equals(callback.status())) {
            location.put("type", "url");
            location.put("url", callback.url());
            location.put("expiresAt", received.plus(settings.urlLifetime()).toString());
        } else {
            location.put("type", "bucket");
            location.put("bucket", settings.bucket().isBlank() ? null : settings.bucket());
            location.put("objectKey", objectKey(callback, extension));
        }

        Message message = exchange.getMessage();
        message.getHeaders().clear();
        putHeaders(message, callback);
        message.setHeader(ArchiveHeaders.OUTPUT_MODE, job.get("outputMode").asText());
        message.setHeader(ArchiveHeaders.READY_STATUS, callback.status());
        message.setBody(JSON.writeValueAsString(job));
        boolean download = downloadFirst && ArchiveCallback.AVAILABLE.equals(callback.status());
        exchange.setProperty(
                ArchiveHeaders.ACTION,
                download ? ArchiveHeaders.ACTION_DOWNLOAD : ArchiveHeaders.ACTION_JOB);
        LOG.debug(
                "Archive {} is {}: job emitted{}",
                LogText.escape(callback.id()),
                LogText.escape(callback.status()),
                download ? " to the download route" : "");
    }

    private void toAlert(
            Exchange exchange,
            ArchiveCallback callback,
            Instant received,
            String kind,
            String severity,
            String subject) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("archiveId", callback.id());
        details.put("sessionId", callback.sessionId());
        details.put("projectId", callback.projectId());
        details.put("status", callback.status());
        details.put("reason", orElse(callback.reason(), ""));
        details.put("createdAt", iso(callback.createdAt()));
        details.put("updatedAt", iso(callback.updatedAt()));
        OpsAlert alert = new OpsAlert(kind, severity, subject, details, received, received, 1);

        Message message = exchange.getMessage();
        message.getHeaders().clear();
        putHeaders(message, callback);
        message.setHeader(ArchiveHeaders.ALERT_KIND, kind);
        message.setHeader(ArchiveHeaders.ALERT_SEVERITY, severity);
        message.setBody(alert.toJson());
        exchange.setProperty(ArchiveHeaders.ACTION, ArchiveHeaders.ACTION_ALERT);
        LOG.debug(
                "Archive {} is {}: alert {} emitted",
                LogText.escape(callback.id()),
                LogText.escape(callback.status()),
                kind);
    }

    /** Why the callback's ids cannot be used for a job, or null when they can. */
    static String unusableIds(ArchiveCallback callback) {
        if (!SAFE_ID.matcher(callback.id()).matches()) {
            return "its archive id is not 1 to 200 letters, digits, '.', '_' or '-'";
        }
        String project = callback.projectId();
        if (project != null && !SAFE_ID.matcher(project).matches()) {
            return "its project id is not 1 to 200 letters, digits, '.', '_' or '-'";
        }
        return null;
    }

    /** The key the platform gives the file in the user's bucket, from the configured pattern. */
    String objectKey(ArchiveCallback callback, String extension) {
        return settings.objectKeyPattern()
                .replace("{projectId}", orElse(callback.projectId(), ""))
                .replace("{archiveId}", callback.id())
                .replace("{sessionId}", orElse(callback.sessionId(), ""))
                .replace("{extension}", extension);
    }

    private static void putHeaders(Message message, ArchiveCallback callback) {
        message.setHeader(ArchiveHeaders.ARCHIVE_ID, callback.id());
        if (callback.sessionId() != null) {
            message.setHeader(ArchiveHeaders.SESSION_ID, callback.sessionId());
        }
        if (callback.projectId() != null) {
            message.setHeader(ArchiveHeaders.PROJECT_ID, callback.projectId());
        }
    }

    private static String iso(Long epochMs) {
        return epochMs == null ? null : Instant.ofEpochMilli(epochMs).toString();
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}

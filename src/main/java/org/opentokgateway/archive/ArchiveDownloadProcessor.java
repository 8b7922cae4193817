package org.opentokgateway.archive;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.opentokgateway.alerts.OpsAlert;
import org.opentokgateway.archive.ArchiveDownloader.DownloadException;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the file of an {@code available} archive named by a job into the staging folder,
 * retrying with a doubling wait while the URL is valid, then hands on the job with the local path,
 * or an alert when every attempt failed. Route: {@code archive-download}.
 */
public class ArchiveDownloadProcessor implements Processor {

    public static final String KIND_DOWNLOAD_FAILED = "archive-download-failed";

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveDownloadProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveDownloadSettings settings;
    private final ArchiveDownloader downloader;
    private final Clock clock;

    public ArchiveDownloadProcessor(
            ArchiveDownloadSettings settings, ArchiveDownloader downloader, Clock clock) {
        this.settings = settings;
        this.downloader = downloader;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        ObjectNode job = (ObjectNode) JSON.readTree(message.getBody(String.class));
        ObjectNode location = (ObjectNode) job.get("location");
        String archiveId = job.path("archiveId").asText();
        String url = location.path("url").asText(null);
        Instant expiresAt = parse(location.path("expiresAt").asText(null));
        Path target =
                Path.of(settings.stagingDir())
                        .toAbsolutePath()
                        .resolve(safeName(archiveId) + "." + job.path("fileType").asText("mp4"));
        Long size = job.path("size").isNumber() ? job.get("size").asLong() : null;
        String sha256sum = job.path("sha256sum").asText(null);

        String reason;
        if (!settings.allows(url)) {
            reason = "the URL is not among the allowed download prefixes";
        } else {
            reason = null;
            Duration wait = settings.firstBackoff();
            for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
                try {
                    ArchiveDownloader.Result result =
                            downloader.download(url, target, size, sha256sum);
                    location.put("localPath", target.toString());
                    location.put("checksumVerified", result.checksumVerified());
                    message.setBody(JSON.writeValueAsString(job));
                    exchange.setProperty(ArchiveHeaders.ACTION, ArchiveHeaders.ACTION_JOB);
                    LOG.debug(
                            "Archive {} downloaded to {} ({} bytes)",
                            LogText.escape(archiveId),
                            LogText.escape(target),
                            result.bytes());
                    return;
                } catch (DownloadException e) {
                    reason =
                            e.getMessage()
                                    + " (attempt "
                                    + attempt
                                    + " of "
                                    + settings.maxAttempts()
                                    + ")";
                    LOG.debug(
                            "Archive {} download failed: {}",
                            LogText.escape(archiveId),
                            LogText.escape(reason));
                }
                boolean urlStillValid =
                        expiresAt == null || clock.instant().plus(wait).isBefore(expiresAt);
                if (attempt == settings.maxAttempts() || !urlStillValid) {
                    break;
                }
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
        toAlert(exchange, job, reason);
    }

    private void toAlert(Exchange exchange, JsonNode job, String reason) {
        String archiveId = job.path("archiveId").asText();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("archiveId", archiveId);
        details.put("sessionId", job.path("sessionId").asText(null));
        details.put("projectId", job.path("projectId").asText(null));
        details.put("status", job.path("readyStatus").asText(null));
        details.put("reason", reason);
        details.put("createdAt", job.path("createdAt").asText(null));
        details.put("updatedAt", job.path("updatedAt").asText(null));
        Instant seen = clock.instant();
        OpsAlert alert =
                new OpsAlert(
                        KIND_DOWNLOAD_FAILED,
                        OpsAlert.ERROR,
                        "Archive " + archiveId + " could not be downloaded: " + reason,
                        details,
                        seen,
                        seen,
                        1);

        Message message = exchange.getMessage();
        message.removeHeader(ArchiveHeaders.READY_STATUS);
        message.removeHeader(ArchiveHeaders.OUTPUT_MODE);
        message.setHeader(ArchiveHeaders.ALERT_KIND, KIND_DOWNLOAD_FAILED);
        message.setHeader(ArchiveHeaders.ALERT_SEVERITY, OpsAlert.ERROR);
        message.setBody(alert.toJson());
        exchange.setProperty(ArchiveHeaders.ACTION, ArchiveHeaders.ACTION_ALERT);
    }

    /** Archive ids are UUIDs; anything else is reduced to characters safe in a file name. */
    private static String safeName(String archiveId) {
        String name = archiveId.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "archive-" + name : name;
    }

    private static Instant parse(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

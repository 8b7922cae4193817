package org.opentokgateway.archive;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.opentokgateway.GatewayProperties;

/**
 * Settings of the optional download of {@code available} archives, read from the {@code
 * gateway.archive.download.*} properties by {@link ArchiveConfiguration}.
 */
public record ArchiveDownloadSettings(
        boolean enabled,
        String stagingDir,
        List<String> allowedUrlPrefixes,
        int maxAttempts,
        Duration firstBackoff,
        Duration responseTimeout) {

    static ArchiveDownloadSettings read(GatewayProperties props) {
        String allowed = props.get("gateway.archive.download.allowed-url-prefixes");
        List<String> prefixes =
                Arrays.stream(allowed.split(","))
                        .map(String::trim)
                        .filter(prefix -> !prefix.isEmpty())
                        .toList();
        return new ArchiveDownloadSettings(
                Boolean.parseBoolean(props.get("gateway.archive.download.enabled")),
                props.get("gateway.archive.download.staging-dir"),
                prefixes,
                Math.max(1, props.getInt("gateway.archive.download.max-attempts")),
                Duration.ofMillis(props.getLong("gateway.archive.download.backoff-ms")),
                Duration.ofSeconds(
                        props.getLong("gateway.archive.download.response-timeout-seconds")));
    }

    /** Whether a URL may be fetched: it starts with one of the allowed prefixes. */
    public boolean allows(String url) {
        return url != null && allowedUrlPrefixes.stream().anyMatch(url::startsWith);
    }
}

package org.opentokgateway.archive;

import java.time.Duration;

import org.opentokgateway.GatewayProperties;

/**
 * Settings of archive post-processing, read from the {@code gateway.archive.*} and queue properties
 * by {@link ArchiveConfiguration}.
 */
public record ArchiveSettings(
        String archiveQueue,
        String postProcessQueue,
        String dataDir,
        Duration urlLifetime,
        String bucket,
        String objectKeyPattern,
        Duration ledgerRetention) {

    static ArchiveSettings read(GatewayProperties props) {
        return new ArchiveSettings(
                props.get("gateway.queue.archive-events"),
                props.get("gateway.queue.archive-postprocess"),
                props.get("gateway.archive.data-dir"),
                Duration.ofSeconds(props.getLong("gateway.archive.url-lifetime-seconds")),
                props.get("gateway.archive.bucket"),
                props.get("gateway.archive.object-key-pattern"),
                Duration.ofDays(props.getLong("gateway.archive.ledger.retention-days")));
    }
}

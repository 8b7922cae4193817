package org.opentokgateway.archive;

import java.time.Clock;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.opentokgateway.GatewayProperties;
import org.opentokgateway.broker.EmbeddedBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires archive post-processing: the ledger of emitted jobs and alerts, the processor the {@code
 * archive-postprocess} route calls, and the fan-out of archive callbacks to the post-processing
 * queue on the embedded broker.
 */
public class ArchiveConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        GatewayProperties props = new GatewayProperties(context);
        ArchiveSettings settings = ArchiveSettings.read(props);
        ArchiveDownloadSettings download = ArchiveDownloadSettings.read(props);

        ArchiveLedger ledger = new ArchiveLedger(settings.dataDir(), settings.ledgerRetention());
        context.addService(ledger, true, true);
        context.getRegistry().bind("archiveLedger", ledger);
        context.getRegistry()
                .bind(
                        "archiveJobProcessor",
                        new ArchiveJobProcessor(settings, ledger, download.enabled()));
        ArchiveDownloader downloader = new ArchiveDownloader(download.responseTimeout());
        context.getRegistry()
                .bind(
                        "archiveDownloadProcessor",
                        new ArchiveDownloadProcessor(download, downloader, Clock.systemUTC()));

        if (!Boolean.parseBoolean(props.get("gateway.archive.enabled"))) {
            LOG.info("Archive post-processing is switched off");
            return;
        }
        EmbeddedBroker embedded =
                context.getRegistry().lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
        if (embedded != null) {
            embedded.customize(
                    new ArchiveFanOut(settings.archiveQueue(), settings.postProcessQueue()));
        } else {
            // An external broker's destinations are its own: it must forward the copies itself.
            LOG.info(
                    "Archive post-processing reads {}: the external broker must forward a copy of"
                            + " every message on {} to it (a composite queue, see the README)",
                    settings.postProcessQueue(),
                    settings.archiveQueue());
        }
    }
}

package org.opentokgateway.broker;

import java.io.File;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.policy.IndividualDeadLetterStrategy;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.store.SharedFileLocker;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.opentokgateway.delivery.DeadLetters;
import org.opentokgateway.startup.StartupCheckException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ActiveMQ Classic broker that runs inside the gateway when no external broker is configured:
 * persistent (KahaDB, synced on every write), reachable by other programs through its OpenWire
 * connector. Started and stopped by Camel as a service of the context, after the routes stop, never
 * by a JVM shutdown hook of its own.
 */
public class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final BrokerSettings settings;
    private final List<Consumer<BrokerService>> customizers = new CopyOnWriteArrayList<>();
    private BrokerService broker;

    public EmbeddedBroker(BrokerSettings settings) {
        this.settings = settings;
    }

    /** Lets a feature adjust the broker (e.g. add virtual destinations) before it starts. */
    public void customize(Consumer<BrokerService> customizer) {
        customizers.add(customizer);
    }

    /** The URL that clients inside this JVM use: the in-memory transport, no TCP. */
    public String inVmUrl() {
        return "vm://" + settings.name() + "?create=false";
    }

    /** The running broker, for tests and the queue report; null while stopped. */
    public BrokerService brokerService() {
        return broker;
    }

    /** Messages waiting on a queue, or -1 when the queue does not exist yet. */
    public long queueDepth(String queue) {
        BrokerService running = broker;
        if (running == null || !running.isStarted()) {
            return -1;
        }
        try {
            Destination destination =
                    running.getRegionBroker().getDestinationMap().get(new ActiveMQQueue(queue));
            return destination == null
                    ? -1
                    : destination.getDestinationStatistics().getMessages().getCount();
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    protected void doStart() throws Exception {
        File dataDir = new File(settings.dataDir()).getAbsoluteFile();

        BrokerService service = new BrokerService();
        service.setBrokerName(settings.name());
        service.setUseJmx(false);
        service.setUseShutdownHook(false);
        service.setPersistent(true);
        service.setDataDirectoryFile(dataDir);
        service.setSchedulerSupport(false);

        KahaDBPersistenceAdapter store = new KahaDBPersistenceAdapter();
        store.setDirectory(new File(dataDir, "kahadb"));
        // Store in the sending connection's own thread: with the default (one shared store
        // thread) every synchronous send waits for a disk sync of its own, one after the other;
        // this way concurrent sends from several connections share one journal sync.
        store.setConcurrentStoreAndDispatchQueues(false);
        // A folder locked by another broker fails the start at once: the default locker would
        // wait for the lock forever, with the HTTP port open and no route to answer.
        SharedFileLocker locker = new SharedFileLocker();
        locker.setFailIfLocked(true);
        store.setLocker(locker);
        service.setPersistenceAdapter(store);

        service.getSystemUsage().getStoreUsage().setLimit(settings.storeLimitMb() * 1024L * 1024L);
        service.getSystemUsage().getTempUsage().setLimit(settings.tempLimitMb() * 1024L * 1024L);
        // A full store must fail the send (the gateway answers 503), not block the request.
        service.getSystemUsage().setSendFailIfNoSpace(true);
        service.setDestinationPolicy(policies());

        TransportConnector connector = service.addConnector(settings.connector());
        connector.setName("openwire");
        customizers.forEach(customizer -> customizer.accept(service));

        try {
            service.start();
        } catch (Exception e) {
            if (!isLockFailure(e)) {
                throw e;
            }
            throw new StartupCheckException(
                    "The embedded broker's data folder "
                            + dataDir
                            + " is locked: another gateway (or broker) uses it; stop that one or"
                            + " give this gateway its own gateway.broker.embedded.data-dir",
                    e);
        }
        if (!service.waitUntilStarted()) {
            throw new IllegalStateException("The embedded broker did not start");
        }
        broker = service;
        LOG.info(
                "Embedded broker '{}' started: data in {}, listening on {}",
                settings.name(),
                dataDir,
                settings.connector());
    }

    private static boolean isLockFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("could not be locked")
                    || message.contains("lock is already held")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A message that exhausted its redeliveries moves to {@code DLQ.<queue>}, keeping its headers,
     * with the failure cause that ActiveMQ adds. Rejected requests expire after their time to live
     * and must then be dropped, not moved to a dead-letter queue where they would pile up again.
     */
    private PolicyMap policies() {
        PolicyEntry everyQueue = new PolicyEntry();
        everyQueue.setQueue(">");
        everyQueue.setDeadLetterStrategy(deadLetters(true));

        PolicyEntry rejected = new PolicyEntry();
        rejected.setQueue(settings.rejectedQueue());
        rejected.setDeadLetterStrategy(deadLetters(false));

        PolicyMap map = new PolicyMap();
        map.setPolicyEntries(List.of(everyQueue, rejected));
        return map;
    }

    private static IndividualDeadLetterStrategy deadLetters(boolean keepExpired) {
        IndividualDeadLetterStrategy strategy = new IndividualDeadLetterStrategy();
        strategy.setQueuePrefix(DeadLetters.PREFIX);
        strategy.setUseQueueForQueueMessages(true);
        strategy.setProcessNonPersistent(true);
        strategy.setProcessExpired(keepExpired);
        return strategy;
    }

    @Override
    protected void doStop() throws Exception {
        BrokerService service = broker;
        broker = null;
        if (service != null) {
            service.stop();
            service.waitUntilStopped();
            LOG.info("Embedded broker '{}' stopped", settings.name());
        }
    }
}

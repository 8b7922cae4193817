package org.opentokgateway.support;

import java.io.File;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * A stand-alone persistent ActiveMQ broker for tests that need the broker in another process:
 * {@code ExternalBrokerMain <port> <data folder>}. Prints {@link #READY} once it listens on
 * 127.0.0.1, then runs until the process is killed.
 */
public final class ExternalBrokerMain {

    /** The line printed on standard output once the broker accepts connections. */
    public static final String READY = "EXTERNAL-BROKER-READY";

    private ExternalBrokerMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        File dataDir = new File(args[1]);

        BrokerService broker = new BrokerService();
        broker.setBrokerName("external-test-broker");
        broker.setUseJmx(false);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(dataDir);
        broker.setSchedulerSupport(false);
        KahaDBPersistenceAdapter store = new KahaDBPersistenceAdapter();
        store.setDirectory(new File(dataDir, "kahadb"));
        broker.setPersistenceAdapter(store);
        broker.getSystemUsage().getMemoryUsage().setLimit(32L * 1024 * 1024);
        broker.getSystemUsage().getStoreUsage().setLimit(256L * 1024 * 1024);
        broker.getSystemUsage().getTempUsage().setLimit(64L * 1024 * 1024);
        broker.addConnector("tcp://127.0.0.1:" + port);

        broker.start();
        broker.waitUntilStarted();
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }
}

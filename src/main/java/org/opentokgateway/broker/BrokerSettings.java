package org.opentokgateway.broker;

/** Settings of the embedded broker, read from the {@code gateway.broker.embedded.*} properties. */
public record BrokerSettings(
        String name,
        String connector,
        String dataDir,
        long storeLimitMb,
        long tempLimitMb,
        String rejectedQueue) {}

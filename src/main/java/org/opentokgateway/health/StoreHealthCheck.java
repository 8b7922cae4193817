package org.opentokgateway.health;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: DOWN while callbacks keep failing to be stored (see {@link StoreMonitor}). */
public class StoreHealthCheck extends AbstractHealthCheck {

    private final StoreMonitor monitor;

    public StoreHealthCheck(StoreMonitor monitor) {
        super("gateway", "callback-store");
        this.monitor = monitor;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String failing = monitor.failing();
        if (failing == null) {
            builder.up();
        } else {
            builder.message(failing);
            builder.down();
        }
    }
}

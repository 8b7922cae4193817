package org.opentokgateway.health;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.apache.camel.Exchange;

/**
 * Times every store of a callback on its queue ({@code gateway_store_seconds}, a histogram) and
 * remembers recent failures, so that readiness goes DOWN while stores keep failing. Route: {@code
 * callback-store} calls {@link #started} and {@link #finished}.
 */
public class StoreMonitor {

    /** Time taken to store a callback on its queue, tagged outcome (stored or failed). */
    public static final String STORE_TIME = "gateway.store";

    /** Exchange property: when the store began, in nanoseconds of {@link System#nanoTime()}. */
    static final String STARTED_NANOS = "gatewayStoreStartedNanos";

    /** Histogram bucket bounds: a store normally takes a few ms, a slow disk hundreds. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final Timer stored;
    private final Timer failed;
    private final int failuresToTrip;
    private final long windowMillis;
    private final LongSupplier clockMillis;

    private int consecutiveFailures;
    private long lastFailureAt;
    private String lastError;

    /**
     * @param failuresToTrip failed stores in a row that make readiness DOWN
     * @param windowMillis how long the last failure keeps readiness DOWN without a success
     */
    public StoreMonitor(
            MeterRegistry registry,
            int failuresToTrip,
            long windowMillis,
            LongSupplier clockMillis) {
        this.stored = timer(registry, "stored");
        this.failed = timer(registry, "failed");
        this.failuresToTrip = Math.max(1, failuresToTrip);
        this.windowMillis = windowMillis;
        this.clockMillis = clockMillis;
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder(STORE_TIME)
                .description("Time taken to store a callback on its queue")
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** First step of the store: notes the time. */
    public void started(Exchange exchange) {
        exchange.setProperty(STARTED_NANOS, System.nanoTime());
    }

    /** Last step of the store, reached on success and on failure (a finally block). */
    public void finished(Exchange exchange) {
        Long startedAt = exchange.getProperty(STARTED_NANOS, Long.class);
        exchange.removeProperty(STARTED_NANOS);
        Throwable error =
                exchange.getException() != null
                        ? exchange.getException()
                        : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        long nanos = startedAt == null ? 0 : System.nanoTime() - startedAt;

        if (error == null) {
            stored.record(Duration.ofNanos(nanos));
            storeSucceeded();
        } else {
            failed.record(Duration.ofNanos(nanos));
            storeFailed(Redaction.describe(error));
        }
    }

    synchronized void storeSucceeded() {
        consecutiveFailures = 0;
        lastError = null;
    }

    synchronized void storeFailed(String error) {
        consecutiveFailures++;
        lastFailureAt = clockMillis.getAsLong();
        lastError = error;
    }

    /**
     * Null while stores work; otherwise why readiness is DOWN. Recovers on the next success, or
     * once the window has passed without a new failure (no traffic may come while DOWN).
     */
    public synchronized String failing() {
        if (consecutiveFailures < failuresToTrip) {
            return null;
        }
        long age = clockMillis.getAsLong() - lastFailureAt;
        if (age > windowMillis) {
            return null;
        }
        return "the last "
                + consecutiveFailures
                + " stores failed, the last "
                + age
                + " ms ago: "
                + lastError;
    }
}

package org.opentokgateway.delivery;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.opentokgateway.intake.CallbackHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back a callback while another one with the same de-duplication key is being stored in this
 * gateway, so that the repeat then finds the key recorded (or, when the first store failed, stores
 * it itself). Without it two simultaneous repeats could both be stored. Route: {@code
 * callback-store}, just before the idempotent consumer.
 */
public class RepeatGuardProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RepeatGuardProcessor.class);

    private final ConcurrentHashMap<String, CountDownLatch> inFlight = new ConcurrentHashMap<>();
    private final long maxWaitMs;

    /**
     * @param maxWaitMs longest wait for the first store; after it the repeat goes ahead
     */
    public RepeatGuardProcessor(long maxWaitMs) {
        this.maxWaitMs = maxWaitMs;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        String key = exchange.getMessage().getHeader(CallbackHeaders.DEDUP_KEY, String.class);
        if (key == null) {
            return;
        }

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        while (true) {
            CountDownLatch mine = new CountDownLatch(1);
            CountDownLatch other = inFlight.putIfAbsent(key, mine);
            if (other == null) {
                exchange.getExchangeExtension().addOnCompletion(new Release(key, mine));
                return;
            }
            long left = deadline - System.nanoTime();
            // Never refuse or lose a callback over this: after the wait it is simply stored,
            // at worst once more.
            if (left <= 0 || !other.await(left, TimeUnit.NANOSECONDS)) {
                LOG.debug("A callback with the same key is still being stored; going ahead");
                return;
            }
        }
    }

    /** Keys held at this moment, for tests. */
    int inFlight() {
        return inFlight.size();
    }

    /** Lets waiting repeats go once the exchange that holds the key is done, either way. */
    private final class Release extends SynchronizationAdapter {
        private final String key;
        private final CountDownLatch latch;

        Release(String key, CountDownLatch latch) {
            this.key = key;
            this.latch = latch;
        }

        @Override
        public void onDone(Exchange exchange) {
            inFlight.remove(key, latch);
            latch.countDown();
        }
    }
}

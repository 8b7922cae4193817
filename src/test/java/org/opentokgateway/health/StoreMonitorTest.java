package org.opentokgateway.health;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** When failed stores make readiness DOWN, and how it comes back UP without help. */
class StoreMonitorTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final StoreMonitor monitor =
            new StoreMonitor(new SimpleMeterRegistry(), 3, 30_000, now::get);

    @Test
    void should_stay_up_until_the_set_number_of_stores_failed_in_a_row() {
        monitor.storeFailed("broker gone");
        monitor.storeFailed("broker gone");

        assertNull(monitor.failing());

        monitor.storeFailed("broker gone");

        assertNotNull(monitor.failing());
        assertTrue(monitor.failing().contains("broker gone"), monitor.failing());
    }

    @Test
    void should_come_back_up_on_the_next_successful_store() {
        failThreeTimes();

        monitor.storeSucceeded();

        assertNull(monitor.failing());
    }

    @Test
    void should_come_back_up_once_the_window_passed_without_a_new_failure() {
        failThreeTimes();
        now.addAndGet(29_000);
        assertNotNull(monitor.failing());

        now.addAndGet(2_000);

        assertNull(monitor.failing());
    }

    @Test
    void should_not_count_failures_that_a_success_interrupted() {
        monitor.storeFailed("slow disk");
        monitor.storeFailed("slow disk");
        monitor.storeSucceeded();

        monitor.storeFailed("slow disk");

        assertNull(monitor.failing());
    }

    private void failThreeTimes() {
        for (int i = 0; i < 3; i++) {
            monitor.storeFailed("broker gone");
        }
    }
}

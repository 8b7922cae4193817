package org.opentokgateway.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Counts events over a sliding time window, in memory: how many happened in the last {@code
 * window}, and when the oldest of them happened. Used by {@link OutcomeAlertProcessor}.
 */
public final class SlidingWindowCounter {

    private final Duration window;
    private final int maxKept;
    private final Deque<Instant> times = new ArrayDeque<>();

    /** Keeps at most {@code maxKept} times, so the count stops growing there. */
    public SlidingWindowCounter(Duration window, int maxKept) {
        this.window = window;
        this.maxKept = Math.max(1, maxKept);
    }

    public Duration window() {
        return window;
    }

    /** Records one event at {@code now} and answers how many fell in the window. */
    public synchronized int record(Instant now) {
        prune(now);
        times.addLast(now);
        // A long outage must not grow memory: past the bound, the oldest time is forgotten.
        if (times.size() > maxKept) {
            times.removeFirst();
        }
        return times.size();
    }

    /** The oldest event still in the window, or {@code now} when there is none. */
    public synchronized Instant oldest(Instant now) {
        prune(now);
        return times.isEmpty() ? now : times.peekFirst();
    }

    private void prune(Instant now) {
        Instant start = now.minus(window);
        while (!times.isEmpty() && times.peekFirst().isBefore(start)) {
            times.removeFirst();
        }
    }
}

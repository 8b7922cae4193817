package org.opentokgateway.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debounces alerts per kind: the first alert of a kind is mailed at once, later ones within the
 * window are folded into one digest mailed when the window ends. Never more than {@code maxPerHour}
 * mails an hour: over the cap, mails wait (folded) until the hour allows.
 */
public class AlertDigester {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDigester.class);
    private static final Duration HOUR = Duration.ofHours(1);

    private final Duration window;
    private final int maxExamples;
    private final int maxPerHour;
    private final AlertMailComposer composer;
    private final Map<String, KindState> kinds = new LinkedHashMap<>();
    private final Deque<Instant> sent = new ArrayDeque<>();
    private boolean capReported;

    public AlertDigester(
            Duration window, int maxExamples, int maxPerHour, AlertMailComposer composer) {
        this.window = window;
        this.maxExamples = Math.max(1, maxExamples);
        this.maxPerHour = Math.max(1, maxPerHour);
        this.composer = composer;
    }

    /** Takes one alert: the mail to send now, or nothing when it was folded into a digest. */
    public synchronized Optional<OpsMail> accept(OpsAlert alert, Instant now) {
        KindState state = kinds.computeIfAbsent(alert.kind(), k -> new KindState());
        boolean quiet = state.lastMail == null || !now.isBefore(state.lastMail.plus(window));
        if (quiet && state.pending == null && capAllows(now)) {
            state.lastMail = now;
            sent.addLast(now);
            return Optional.of(composer.immediate(alert, window));
        }

        if (state.pending == null) {
            Instant due = state.lastMail == null ? now : state.lastMail.plus(window);
            state.pending = new Digest(due);
        }
        state.pending.add(alert, maxExamples);
        LOG.debug("Folded a {} alert into the digest due at {}", alert.kind(), state.pending.due);
        return Optional.empty();
    }

    /** The digests whose window has ended, as mails; each kind's digest then starts afresh. */
    public synchronized List<OpsMail> dueDigests(Instant now) {
        List<OpsMail> mails = new ArrayList<>();
        for (Map.Entry<String, KindState> entry : kinds.entrySet()) {
            KindState state = entry.getValue();
            Digest digest = state.pending;
            if (digest == null || now.isBefore(digest.due) || !capAllows(now)) {
                continue;
            }
            mails.add(
                    composer.digest(
                            entry.getKey(),
                            digest.examples,
                            digest.latest,
                            digest.alerts,
                            digest.count,
                            digest.first,
                            digest.last));
            state.pending = null;
            state.lastMail = now;
            sent.addLast(now);
        }
        return mails;
    }

    /** Alerts folded and not mailed yet, all kinds together. */
    public synchronized int pendingAlerts() {
        return kinds.values().stream()
                .mapToInt(s -> s.pending == null ? 0 : s.pending.alerts)
                .sum();
    }

    private boolean capAllows(Instant now) {
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(HOUR))) {
            sent.removeFirst();
        }
        if (sent.size() < maxPerHour) {
            capReported = false;
            return true;
        }
        // Said once per full hour, not at every check: the alerts wait in their digests.
        if (!capReported) {
            LOG.warn(
                    "The cap of {} alert mails an hour is reached: further alerts wait in digests",
                    maxPerHour);
            capReported = true;
        }
        return false;
    }

    private static final class KindState {
        private Instant lastMail;
        private Digest pending;
    }

    /** Alerts of one kind folded since its last mail. */
    private static final class Digest {
        private final Instant due;
        private final List<OpsAlert> examples = new ArrayList<>();
        private OpsAlert latest;
        private int alerts;
        private long count;
        private Instant first;
        private Instant last;

        Digest(Instant due) {
            this.due = due;
        }

        void add(OpsAlert alert, int maxExamples) {
            if (examples.size() < maxExamples) {
                examples.add(alert);
            }
            latest = alert;
            alerts++;
            count += alert.count();
            first = first == null || alert.firstSeen().isBefore(first) ? alert.firstSeen() : first;
            last = last == null || alert.lastSeen().isAfter(last) ? alert.lastSeen() : last;
        }
    }
}

package org.opentokgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the tokens of the signed callbacks stored recently, keyed by {@code jti} and {@code
 * payload_hash}, so that a replayed token is answered 200 without a second store. Kept in memory
 * for the signature tolerance window, bounded in size; a restart forgets them.
 */
public final class TokenReplayGuard {

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final Duration window;
    private final int maxEntries;
    private final Clock clock;

    public TokenReplayGuard(Duration window, int maxEntries, Clock clock) {
        this.window = window;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** Whether a token key was stored within the window. */
    public boolean seen(String tokenId) {
        Long expiry = expiries.get(tokenId);
        return expiry != null && expiry > clock.millis();
    }

    /** Records a token key once its callback is stored. */
    public void remember(String tokenId) {
        long now = clock.millis();
        if (expiries.size() >= maxEntries) {
            forgetExpired(now);
        }
        if (expiries.size() < maxEntries) {
            expiries.put(tokenId, now + window.toMillis());
        }
    }

    private void forgetExpired(long now) {
        Iterator<Map.Entry<String, Long>> entries = expiries.entrySet().iterator();
        while (entries.hasNext()) {
            if (entries.next().getValue() <= now) {
                entries.remove();
            }
        }
    }
}

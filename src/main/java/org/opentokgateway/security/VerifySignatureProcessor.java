package org.opentokgateway.security;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.opentokgateway.intake.CallbackHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the signature of a callback in the mode set for its path: {@code off} skips it,
 * {@code warn} verifies, logs and counts failures but accepts, {@code enforce} refuses
 * failures with 401. With the replay guard on, a token id seen before marks the request as a
 * duplicate. Route: {@code callback-intake}.
 */
public class VerifySignatureProcessor implements Processor {

    /** Exchange property set to true when the token id was seen before (replay guard). */
    public static final String REPLAYED = "gatewayReplayedToken";
    /** Exchange property holding the verified token id, recorded once the callback is stored. */
    public static final String TOKEN_ID = "gatewayTokenId";

    private static final Logger LOG = LoggerFactory.getLogger("opentok.gateway.signature");

    /** How a path's signatures are treated. */
    public enum Mode { OFF, WARN, ENFORCE }

    private final SignatureVerifier verifier;
    private final Mode defaultMode;
    private final Map<String, Mode> pathModes;
    private final TokenReplayGuard replayGuard;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();

    public VerifySignatureProcessor(SignatureVerifier verifier, String defaultMode, String pathModes,
            TokenReplayGuard replayGuard, Clock clock) {
        this.verifier = verifier;
        this.defaultMode = mode(defaultMode);
        this.pathModes = pathModes(pathModes);
        this.replayGuard = replayGuard;
        this.clock = clock;
    }

    /** The mode for a callback path name ({@code session}, {@code archive}, ...). */
    public Mode modeFor(String pathName) {
        return pathModes.getOrDefault(pathName, defaultMode);
    }

    /** Whether any path verifies signatures. */
    public boolean isOn() {
        return defaultMode != Mode.OFF || pathModes.values().stream().anyMatch(m -> m != Mode.OFF);
    }

    /** Signature failures seen since start, in warn and enforce mode alike. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void process(Exchange exchange) throws UnauthorizedCallbackException {
        String pathName = exchange.getMessage().getHeader("name", String.class);
        Mode mode = modeFor(pathName);
        if (mode == Mode.OFF) {
            return;
        }

        byte[] body = exchange.getProperty(CallbackHeaders.RAW_BODY, byte[].class);
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        SignatureVerifier.Result result = verifier.verify(authorization, body, pathName, clock.instant());

        if (!result.ok()) {
            failures.incrementAndGet();
            if (mode == Mode.ENFORCE) {
                throw new UnauthorizedCallbackException("signature check failed: " + result.reason());
            }
            LOG.warn("Accepted a callback on /callbacks/{} whose signature check failed: {}", pathName,
                    result.reason());
            return;
        }

        if (replayGuard != null && result.tokenId() != null) {
            exchange.setProperty(TOKEN_ID, result.tokenId());
            exchange.setProperty(REPLAYED, replayGuard.seen(result.tokenId()));
        }
    }

    /** After the store: remembers the token id, so that a replay of it is not stored again. */
    public void recordStored(Exchange exchange) {
        String tokenId = exchange.getProperty(TOKEN_ID, String.class);
        if (replayGuard != null && tokenId != null) {
            replayGuard.remember(tokenId);
        }
    }

    private static Mode mode(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A signature mode is off, warn or enforce, not '" + text + "'", e);
        }
    }

    private static Map<String, Mode> pathModes(String list) {
        Map<String, Mode> modes = new LinkedHashMap<>();
        if (list == null) {
            return modes;
        }
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("A path mode is written path=mode, e.g. archive=enforce");
            }
            modes.put(parts[0].trim(), mode(parts[1]));
        }
        return modes;
    }
}

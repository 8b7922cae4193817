package org.opentokgateway.security;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.opentokgateway.LogText;
import org.opentokgateway.intake.CallbackHeaders;
import org.opentokgateway.intake.CaptureRequestProcessor;
import org.opentokgateway.intake.RequestCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the signature of a classified callback in the strictest of three modes: the default, the
 * one set for its path name and the one set for its family. {@code off} skips the check, {@code
 * warn} verifies, logs and counts failures but accepts, {@code enforce} refuses failures with 401.
 * With the replay guard on, a token seen before for the same body marks the request as a duplicate.
 * Route: {@code callback-intake}.
 */
public class VerifySignatureProcessor implements Processor {

    /** Exchange property set to true when the token was seen before (replay guard). */
    public static final String REPLAYED = "gatewayReplayedToken";

    /** Exchange property holding the replay-guard key, recorded once the callback is stored. */
    public static final String TOKEN_ID = "gatewayTokenId";

    private static final Logger LOG = LoggerFactory.getLogger("opentok.gateway.signature");

    /** How a callback's signature is treated, from the most lenient to the strictest. */
    public enum Mode {
        OFF,
        WARN,
        ENFORCE
    }

    private final SignatureVerifier verifier;
    private final Mode defaultMode;
    private final Map<String, Mode> scopedModes;
    private final TokenReplayGuard replayGuard;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param scopedModes {@code name=mode} entries, comma-separated; a name is a callback path name
     *     ({@code archive} for {@code /callbacks/archive}) or a family ({@code session}, {@code
     *     archive}, {@code unknown} ...), any case
     */
    public VerifySignatureProcessor(
            SignatureVerifier verifier,
            String defaultMode,
            String scopedModes,
            TokenReplayGuard replayGuard,
            Clock clock) {
        this.verifier = verifier;
        this.defaultMode = mode(defaultMode);
        this.scopedModes = scopedModes(scopedModes);
        this.replayGuard = replayGuard;
        this.clock = clock;
    }

    /**
     * The mode of a request: the strictest of the default mode, the mode of its lower-cased path
     * name and the mode of its family, so a family's mode holds whatever path the callback uses.
     */
    public Mode modeFor(String pathName, String family) {
        Mode mode = defaultMode;
        mode = stricter(mode, scopedModes.get(lower(pathName)));
        return stricter(mode, scopedModes.get(lower(family)));
    }

    /** Whether any request may have its signature verified. */
    public boolean isOn() {
        return defaultMode != Mode.OFF
                || scopedModes.values().stream().anyMatch(m -> m != Mode.OFF);
    }

    /** Signature failures seen since start, in warn and enforce mode alike. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void process(Exchange exchange) throws UnauthorizedCallbackException {
        // The credential leaves the exchange here, whatever the outcome.
        RequestCredential credential =
                exchange.getProperty(CallbackHeaders.CREDENTIAL, RequestCredential.class);
        exchange.removeProperty(CallbackHeaders.CREDENTIAL);
        String pathName = exchange.getProperty(CallbackHeaders.PATH_NAME, String.class);
        String family = exchange.getProperty(CallbackHeaders.FAMILY_LABEL, String.class);
        Mode mode = modeFor(pathName, family);
        if (mode == Mode.OFF) {
            return;
        }

        byte[] body = exchange.getProperty(CallbackHeaders.RAW_BODY, byte[].class);
        String authorization = credential == null ? null : credential.value();
        SignatureVerifier.Result result =
                verifier.verify(authorization, body, pathName, clock.instant());

        String failure = result.ok() ? projectMismatch(exchange, result) : result.reason();
        if (failure != null) {
            failures.incrementAndGet();
            if (mode == Mode.ENFORCE) {
                throw new UnauthorizedCallbackException("signature check failed: " + failure);
            }
            String path = exchange.getProperty(CaptureRequestProcessor.REQUEST_PATH, String.class);
            LOG.warn(
                    "Accepted a {} callback on {} whose signature check failed: {}",
                    family,
                    path,
                    failure);
            return;
        }

        if (replayGuard != null && result.tokenId() != null) {
            // A token id is only a replay for the same body: another correctly signed body that
            // reuses the id is a callback of its own.
            String key = result.tokenId() + "|" + result.payloadHash();
            exchange.setProperty(TOKEN_ID, key);
            exchange.setProperty(REPLAYED, replayGuard.seen(key));
        }
    }

    /**
     * With secrets per project, a project's secret vouches for that project only: a token whose
     * {@code api_key} names another project than the callback's own is refused.
     */
    private String projectMismatch(Exchange exchange, SignatureVerifier.Result result) {
        String project = exchange.getMessage().getHeader(CallbackHeaders.PROJECT_ID, String.class);
        if (!verifier.bindsProjects()
                || project == null
                || result.apiKey() == null
                || project.equals(result.apiKey())) {
            return null;
        }
        return "api_key does not match the callback's project";
    }

    /** After the store: remembers the token, so that a replay of it is not stored again. */
    public void recordStored(Exchange exchange) {
        String key = exchange.getProperty(TOKEN_ID, String.class);
        if (replayGuard != null && key != null) {
            replayGuard.remember(key);
        }
    }

    private static Mode stricter(Mode current, Mode other) {
        return other != null && other.compareTo(current) > 0 ? other : current;
    }

    private static String lower(String name) {
        return name == null ? null : name.trim().toLowerCase(Locale.ROOT);
    }

    private static Mode mode(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "A signature mode is off, warn or enforce, not '" + text + "'", e);
        }
    }

    private static Map<String, Mode> scopedModes(String list) {
        Map<String, Mode> modes = new LinkedHashMap<>();
        if (list == null) {
            return modes;
        }
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException(
                        "A signature mode entry is written name=mode, e.g. archive=enforce");
            }
            modes.put(lower(parts[0]), mode(parts[1]));
        }
        return modes;
    }
}

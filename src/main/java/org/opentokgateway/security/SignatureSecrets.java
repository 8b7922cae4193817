package org.opentokgateway.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signature secrets, from the most specific to the most general: those of a project ({@code
 * api_key} claim), those of a callback path, then the general ones. Several secrets for one scope
 * let a secret be rotated without downtime.
 */
public final class SignatureSecrets {

    /** HS256 with a key shorter than the hash is refused by the JWT library (RFC 7518 3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    private final List<byte[]> general;
    private final Map<String, List<byte[]>> byPath;
    private final Map<String, List<byte[]>> byApiKey;

    public SignatureSecrets(String general, String byPath, String byApiKey) {
        this.general = secrets(general);
        this.byPath = new LinkedHashMap<>();
        // Path names are compared lower-cased, as the intake route derives them.
        scoped(byPath)
                .forEach(
                        (path, list) ->
                                this.byPath
                                        .computeIfAbsent(
                                                path.toLowerCase(java.util.Locale.ROOT),
                                                p -> new ArrayList<>())
                                        .addAll(list));
        this.byApiKey = scoped(byApiKey);
    }

    public boolean isEmpty() {
        return general.isEmpty() && byPath.isEmpty() && byApiKey.isEmpty();
    }

    /** Whether some secrets belong to one project ({@code api_key}). */
    public boolean hasProjectSecrets() {
        return !byApiKey.isEmpty();
    }

    /** The secrets to try for a request (path name lower-cased), most specific first. */
    public List<byte[]> candidates(String pathName, String apiKey) {
        List<byte[]> candidates = new ArrayList<>();
        if (apiKey != null) {
            candidates.addAll(byApiKey.getOrDefault(apiKey, List.of()));
        }
        if (pathName != null) {
            candidates.addAll(byPath.getOrDefault(pathName, List.of()));
        }
        candidates.addAll(general);
        return candidates;
    }

    /** {@code secret1,secret2}: each at least {@value #MIN_SECRET_BYTES} bytes. */
    private static List<byte[]> secrets(String list) {
        List<byte[]> secrets = new ArrayList<>();
        for (String secret : split(list)) {
            secrets.add(checked(secret));
        }
        return secrets;
    }

    /** {@code scope=secret,scope=secret}: a scope may be repeated to hold several secrets. */
    private static Map<String, List<byte[]>> scoped(String list) {
        Map<String, List<byte[]>> scoped = new LinkedHashMap<>();
        for (String entry : split(list)) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(
                        "A scoped signature secret is written scope=secret");
            }
            String scope = entry.substring(0, equals).trim();
            scoped.computeIfAbsent(scope, s -> new ArrayList<>())
                    .add(checked(entry.substring(equals + 1).trim()));
        }
        return scoped;
    }

    private static byte[] checked(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            // The message never holds the secret itself.
            throw new IllegalArgumentException(
                    "A signature secret is shorter than "
                            + MIN_SECRET_BYTES
                            + " bytes; HS256 needs at least that many");
        }
        return bytes;
    }

    private static List<String> split(String list) {
        List<String> parts = new ArrayList<>();
        if (list == null) {
            return parts;
        }
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.trim());
            }
        }
        return parts;
    }
}

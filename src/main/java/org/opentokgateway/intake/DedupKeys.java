package org.opentokgateway.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Builds the de-duplication key of a callback from what it means, not from its bytes, so a repeat
 * with other whitespace, key order or escapes gets the same key. Used by {@link
 * CallbackClassifier}; pure and thread-safe.
 */
final class DedupKeys {

    /** Longer keys are replaced by their hash, so that every key fits the repository column. */
    static final int MAX_KEY_CHARS = 200;

    /** Prefix of a key that is a hash of the whole callback (or of an over-long key). */
    static final String HASH_PREFIX = "sha256:";

    private final ObjectMapper canonical =
            JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    /** The key of one parsed callback object of the given family. */
    String keyOf(CallbackFamily family, String event, JsonNode root) {
        String key = meaningKey(family, event, root);
        if (key == null) {
            return HASH_PREFIX + sha256Hex(canonicalJson(root));
        }
        if (key.length() > MAX_KEY_CHARS) {
            return HASH_PREFIX + sha256Hex(key.getBytes(StandardCharsets.UTF_8));
        }
        return key;
    }

    /** The key made of the fields that identify the callback; null when one is missing. */
    private static String meaningKey(CallbackFamily family, String event, JsonNode root) {
        switch (family) {
            case CONNECTION:
                return join(event, text(root.path("connection").get("id")));
            case STREAM:
                return join(event, text(root.path("stream").get("id")));
            case SESSION:
                return join(event, text(root.get("sessionId")), text(root.get("timestamp")));
            case ARCHIVE:
            case RENDER:
                // Status and time together: a paused/started cycle repeats a status, not a time.
                return join(
                        text(root.get("id")),
                        text(root.get("status")),
                        text(root.get("updatedAt")));
            case SIP:
                return sipKey(event, root);
            default:
                return null;
        }
    }

    /** State and reason code belong to one SIP event each; elsewhere they stay empty. */
    private static String sipKey(String event, JsonNode root) {
        String callId = text(root.path("call").get("id"));
        String timestamp = text(root.get("timestamp"));
        if (join(event, callId, timestamp) == null) {
            return null;
        }
        return String.join(
                "|",
                event,
                callId,
                orEmpty(text(root.get("state"))),
                orEmpty(text(root.get("reason_code"))),
                timestamp);
    }

    /** The callback as JSON with sorted keys and no white space: equal for equal content. */
    byte[] canonicalJson(JsonNode root) {
        try {
            Object plain = canonical.treeToValue(root, Object.class);
            return canonical.writeValueAsBytes(plain);
        } catch (JsonProcessingException e) {
            // A tree that was just parsed always converts; keep the exception for the odd case.
            throw new IllegalStateException("Cannot write a parsed callback as JSON", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** The parts joined by '|', or null when one is missing or empty. */
    private static String join(String... parts) {
        for (String part : parts) {
            if (part == null || part.isEmpty()) {
                return null;
            }
        }
        return String.join("|", parts);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        return node.asText();
    }
}

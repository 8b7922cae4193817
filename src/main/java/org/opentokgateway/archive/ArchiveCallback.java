package org.opentokgateway.archive;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fields of one archive status callback that post-processing uses, read leniently: numbers or
 * text for ids, {@code partnerId} standing in for {@code projectId}, missing fields as null. Parsed
 * by {@link ArchiveJobProcessor}.
 */
public record ArchiveCallback(
        String id,
        String status,
        String sessionId,
        String projectId,
        String name,
        String outputMode,
        String resolution,
        Long duration,
        Long size,
        String sha256sum,
        Boolean hasAudio,
        Boolean hasVideo,
        String reason,
        Long createdAt,
        Long updatedAt,
        String url) {

    public static final String AVAILABLE = "available";
    public static final String UPLOADED = "uploaded";
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";
    public static final String INDIVIDUAL = "individual";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /** Reads a stored callback body; null when it is not a JSON object. */
    public static ArchiveCallback parse(byte[] body) {
        if (body == null) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        String project = text(root.get("projectId"));
        if (project == null) {
            project = text(root.get("partnerId"));
        }
        return new ArchiveCallback(
                text(root.get("id")),
                text(root.get("status")),
                text(root.get("sessionId")),
                project,
                text(root.get("name")),
                text(root.get("outputMode")),
                text(root.get("resolution")),
                number(root.get("duration")),
                number(root.get("size")),
                text(root.get("sha256sum")),
                bool(root.get("hasAudio")),
                bool(root.get("hasVideo")),
                text(root.get("reason")),
                number(root.get("createdAt")),
                number(root.get("updatedAt")),
                text(root.get("url")));
    }

    /** Whether the file can be fetched: from the platform's cloud or from the user's bucket. */
    public boolean ready() {
        return AVAILABLE.equals(status) || UPLOADED.equals(status);
    }

    /** {@code individual} output is a ZIP of per-stream files; anything else one MP4. */
    public boolean individual() {
        return INDIVIDUAL.equals(outputMode);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.asText();
    }

    private static Long number(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return (long) node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Boolean bool(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isTextual() ? Boolean.valueOf(node.asText().trim()) : null;
    }
}

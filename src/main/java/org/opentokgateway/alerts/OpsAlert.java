package org.opentokgateway.alerts;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message for operators on the ops-alerts queue: what happened (kind, severity, a
 * one-line subject, details) and when it was first and last seen, with a count. Written by
 * the archive post-processing route; read by the alerting feature that mails it.
 */
public record OpsAlert(
        String kind, String severity, String subject, Map<String, Object> details,
        Instant firstSeen, Instant lastSeen, long count) {

    public static final String SEVERITY_ERROR = "error";
    public static final String SEVERITY_WARNING = "warning";

    private static final ObjectMapper JSON = new ObjectMapper();

    public OpsAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        subject = oneLine(subject == null ? kind : subject);
        Map<String, Object> copy = new LinkedHashMap<>(details == null ? Map.of() : details);
        details = Collections.unmodifiableMap(copy);
    }

    /** An alert seen once, at the given time. */
    public static OpsAlert once(String kind, String severity, String subject,
            Map<String, Object> details, Instant seen) {
        return new OpsAlert(kind, severity, subject, details, seen, seen, 1);
    }

    /** The same alert seen once more at the given time (count + 1, lastSeen moved). */
    public OpsAlert seenAgain(Instant seen) {
        Instant last = seen.isAfter(lastSeen) ? seen : lastSeen;
        Instant first = seen.isBefore(firstSeen) ? seen : firstSeen;
        return new OpsAlert(kind, severity, subject, details, first, last, count + 1);
    }

    /** The alert as one JSON object; times are ISO-8601 in UTC. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", kind);
        root.put("severity", severity);
        root.put("subject", subject);
        root.set("details", JSON.valueToTree(details));
        root.put("firstSeen", firstSeen.toString());
        root.put("lastSeen", lastSeen.toString());
        root.put("count", count);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An alert could not be written as JSON", e);
        }
    }

    /** Reads an alert written by {@link #toJson()}. */
    @SuppressWarnings("unchecked")
    public static OpsAlert fromJson(String json) {
        try {
            Map<String, Object> map = JSON.readValue(json, Map.class);
            Object details = map.get("details");
            return new OpsAlert(
                    (String) map.get("kind"),
                    (String) map.get("severity"),
                    (String) map.get("subject"),
                    details instanceof Map ? (Map<String, Object>) details : Map.of(),
                    Instant.parse((String) map.get("firstSeen")),
                    Instant.parse((String) map.get("lastSeen")),
                    ((Number) map.getOrDefault("count", 1)).longValue());
        } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("Not an ops alert: " + e.getMessage(), e);
        }
    }

    /** A subject is one line: line breaks and runs of blanks become single spaces. */
    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}

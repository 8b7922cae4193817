package org.opentokgateway.alerts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One ops alert as it travels on the {@code gateway.queue.ops-alerts} queue: kind, severity, a
 * one-line subject, details, first and last time seen and how many occurrences it stands for.
 */
public record OpsAlert(
        String kind,
        String severity,
        String subject,
        Map<String, Object> details,
        Instant firstSeen,
        Instant lastSeen,
        long count) {

    public static final String ERROR = "error";
    public static final String WARNING = "warning";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    public OpsAlert {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("an ops alert needs a kind");
        }
        severity = WARNING.equals(severity) ? WARNING : ERROR;
        subject = subject == null ? kind : subject.replaceAll("[\\r\\n]+", " ").trim();
        details =
                details == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        lastSeen = lastSeen == null ? Instant.now() : lastSeen;
        firstSeen = firstSeen == null ? lastSeen : firstSeen;
        count = Math.max(1, count);
    }

    /** A new alert seen once, now. */
    public static OpsAlert of(
            String kind, String severity, String subject, Map<String, Object> details) {
        Instant now = Instant.now();
        return new OpsAlert(kind, severity, subject, details, now, now, 1);
    }

    /** The same alert, seen {@code times} times since {@code first}, last at {@code last}. */
    public OpsAlert seen(Instant first, Instant last, long times) {
        return new OpsAlert(kind, severity, subject, details, first, last, times);
    }

    /** This alert with a later occurrence folded in: counts add up, the later subject wins. */
    public OpsAlert merge(OpsAlert later) {
        Instant first = firstSeen.isBefore(later.firstSeen) ? firstSeen : later.firstSeen;
        Instant last = lastSeen.isAfter(later.lastSeen) ? lastSeen : later.lastSeen;
        String worst = ERROR.equals(severity) || ERROR.equals(later.severity) ? ERROR : WARNING;
        return new OpsAlert(
                kind, worst, later.subject, later.details, first, last, count + later.count);
    }

    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", kind);
        json.put("severity", severity);
        json.put("subject", subject);
        json.put("details", details);
        json.put("firstSeen", firstSeen.toString());
        json.put("lastSeen", lastSeen.toString());
        json.put("count", count);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "The details of a " + kind + " alert are not JSON", e);
        }
    }

    /** Reads an alert; a missing time is taken as now, a missing count as 1. */
    public static OpsAlert fromJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("An ops alert must be a JSON object");
            }
            Map<String, Object> details =
                    node.hasNonNull("details") && node.get("details").isObject()
                            ? JSON.convertValue(node.get("details"), DETAILS)
                            : Map.of();
            return new OpsAlert(
                    text(node, "kind"),
                    text(node, "severity"),
                    text(node, "subject"),
                    details,
                    time(node, "firstSeen"),
                    time(node, "lastSeen"),
                    node.path("count").asLong(1));
        } catch (IOException e) {
            throw new UncheckedIOException("An ops alert is not valid JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String value = text(node, field);
        return value == null || value.isBlank() ? null : Instant.parse(value);
    }
}

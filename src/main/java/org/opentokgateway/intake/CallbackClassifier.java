package org.opentokgateway.intake;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Decides what one callback is, from the path it came in on and its raw bytes alone: its family,
 * its event and the headers consumers filter on. Pure and thread-safe; used by the intake route,
 * the tests and the sample tools alike, so all of them agree.
 */
public final class CallbackClassifier {

    /** Fields that only archive objects carry; a render status has none of them. */
    private static final List<String> ARCHIVE_FIELDS =
            List.of(
                    "outputMode",
                    "size",
                    "partnerId",
                    "sha256sum",
                    "duration",
                    "hasAudio",
                    "hasVideo",
                    "streamMode");

    /** Header values taken from the body are cut to this length to keep JMS headers small. */
    static final int MAX_HEADER_CHARS = 1024;

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final DedupKeys dedupKeys = new DedupKeys();

    private final ObjectMapper mapper =
            JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build();

    /**
     * Classifies one callback.
     *
     * @param pathName the last segment of the request path ({@code session}, {@code archive}...)
     * @param body the request bytes exactly as received, not empty
     * @throws InvalidCallbackException when the body is not a UTF-8 JSON object
     */
    public Classification classify(String pathName, byte[] body) throws InvalidCallbackException {
        JsonNode root = parseObject(body);

        String event = text(root.get("event"));
        CallbackFamily family = decideFamily(pathName, event, root);

        Map<String, Object> headers = headersOf(family, event, root);
        headers.put(CallbackHeaders.DEDUP_KEY, dedupKeys.keyOf(family, event, root));
        return new Classification(family, event == null ? "" : event, headers);
    }

    private JsonNode parseObject(byte[] body) throws InvalidCallbackException {
        String text = decodeUtf8(body);
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }

        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidCallbackException("body is not valid JSON" + where(e.getLocation()));
        }

        if (root == null || root.isMissingNode()) {
            throw new InvalidCallbackException("body holds no JSON value");
        }
        if (!root.isObject()) {
            String type = root.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            throw new InvalidCallbackException("body is a JSON " + type + ", not an object");
        }
        return root;
    }

    private static String decodeUtf8(byte[] body) throws InvalidCallbackException {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(body));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidCallbackException("body is not valid UTF-8");
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static CallbackFamily decideFamily(String pathName, String event, JsonNode root) {
        if (event != null && !event.isEmpty()) {
            return CallbackFamily.ofEvent(event);
        }

        CallbackFamily byPath = CallbackFamily.ofPathName(pathName);
        if (byPath != null) {
            return byPath;
        }

        // No event and a path that names no family: an archive and an Experience Composer
        // render status both carry id and status; only archives carry the archive fields.
        if (root.hasNonNull("id") && root.hasNonNull("status")) {
            for (String field : ARCHIVE_FIELDS) {
                if (root.has(field)) {
                    return CallbackFamily.ARCHIVE;
                }
            }
            if (root.hasNonNull("sessionId")) {
                return CallbackFamily.RENDER;
            }
        }
        return CallbackFamily.UNKNOWN;
    }

    private static Map<String, Object> headersOf(
            CallbackFamily family, String event, JsonNode root) {
        Map<String, Object> headers = new LinkedHashMap<>();
        put(headers, CallbackHeaders.EVENT, event);
        headers.put(CallbackHeaders.FAMILY, family.label());

        String sessionId = text(root.get("sessionId"));
        put(headers, CallbackHeaders.SESSION_ID, sessionId);
        put(headers, CallbackHeaders.GROUP_ID, sessionId);

        String projectId = text(root.get("projectId"));
        put(
                headers,
                CallbackHeaders.PROJECT_ID,
                projectId != null ? projectId : text(root.get("partnerId")));

        Long eventTime = firstTime(root, "timestamp", "updatedAt", "createdAt");
        if (eventTime != null) {
            headers.put(CallbackHeaders.EVENT_TIME, eventTime);
        }

        switch (family) {
            case CONNECTION:
                put(
                        headers,
                        CallbackHeaders.CONNECTION_ID,
                        text(root.path("connection").get("id")));
                break;
            case STREAM:
                put(headers, CallbackHeaders.STREAM_ID, text(root.path("stream").get("id")));
                put(
                        headers,
                        CallbackHeaders.CONNECTION_ID,
                        text(root.path("stream").path("connection").get("id")));
                break;
            case ARCHIVE:
                put(headers, CallbackHeaders.ARCHIVE_ID, text(root.get("id")));
                put(headers, CallbackHeaders.ARCHIVE_STATUS, text(root.get("status")));
                break;
            case SIP:
                put(headers, CallbackHeaders.CALL_ID, text(root.path("call").get("id")));
                put(
                        headers,
                        CallbackHeaders.CONNECTION_ID,
                        text(root.path("call").get("connectionId")));
                break;
            case RENDER:
                put(headers, CallbackHeaders.RENDER_ID, text(root.get("id")));
                put(headers, CallbackHeaders.STREAM_ID, text(root.get("streamId")));
                break;
            case BROADCAST:
                put(headers, CallbackHeaders.BROADCAST_ID, text(root.get("id")));
                break;
            default:
                break;
        }
        return headers;
    }

    /** Text of a scalar node (a number becomes its decimal text); null for anything else. */
    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        return node.asText();
    }

    private static Long firstTime(JsonNode root, String... fields) {
        for (String field : fields) {
            JsonNode node = root.get(field);
            if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
        }
        return null;
    }

    private static void put(Map<String, Object> headers, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        headers.put(
                name,
                value.length() > MAX_HEADER_CHARS ? value.substring(0, MAX_HEADER_CHARS) : value);
    }
}

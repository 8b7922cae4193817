package org.opentokgateway.intake;

/**
 * Names of the message headers (JMS properties) that the gateway puts on every stored callback, and
 * of the exchange properties its routes share. Spelled here once.
 */
public final class CallbackHeaders {

    /** The callback's {@code event} field, or empty when the body has none. */
    public static final String EVENT = "callbackEvent";

    /** The family the gateway decided: session, connection, stream, archive, ... */
    public static final String FAMILY = "callbackFamily";

    public static final String SESSION_ID = "sessionId";

    /** Project (API key) as text, whether the body carried a number or a string. */
    public static final String PROJECT_ID = "projectId";

    /** Event time in ms since the epoch: timestamp, else updatedAt, else createdAt. */
    public static final String EVENT_TIME = "eventTime";

    public static final String CONNECTION_ID = "connectionId";
    public static final String STREAM_ID = "streamId";
    public static final String ARCHIVE_ID = "archiveId";
    public static final String ARCHIVE_STATUS = "archiveStatus";
    public static final String CALL_ID = "callId";
    public static final String RENDER_ID = "renderId";
    public static final String BROADCAST_ID = "broadcastId";

    /**
     * What makes a callback the same as an earlier one (see the README, "Delivery guarantees"):
     * consumers may drop a message whose key they have seen.
     */
    public static final String DEDUP_KEY = "dedupKey";

    /** The request path the callback came in on. */
    public static final String PATH = "callbackPath";

    /** When the gateway received the request, ms since the epoch. */
    public static final String RECEIVED_AT = "receivedAt";

    /** Orders one session's events for a single consumer (ActiveMQ message groups). */
    public static final String GROUP_ID = "JMSXGroupID";

    /** On the rejected queue: why the request was refused, and the status it was given. */
    public static final String REJECT_REASON = "rejectReason";

    public static final String REJECT_STATUS = "rejectStatus";

    /** On the rejected queue: the request headers as JSON text, without credentials. */
    public static final String REQUEST_HEADERS = "requestHeaders";

    public static final String REMOTE_ADDRESS = "remoteAddress";

    /** Exchange property: the client's socket address, kept before the headers are replaced. */
    public static final String REMOTE_ADDRESS_PROPERTY = "gatewayRemoteAddress";

    /** Exchange property: the queue the callback goes to. */
    public static final String TARGET_QUEUE = "gatewayTargetQueue";

    /** Exchange property: the outcome written to the access log (stored, probe, rejected...). */
    public static final String OUTCOME = "gatewayOutcome";

    /** Exchange property: the callback's family label, for the access log. */
    public static final String FAMILY_LABEL = "gatewayFamily";

    /** Exchange property: the callback's event, for the access log. */
    public static final String EVENT_LABEL = "gatewayEvent";

    /** Exchange property: the callback's session id, for the access log. */
    public static final String SESSION_LABEL = "gatewaySessionId";

    /** Exchange property: the raw request bytes, kept for the rejected queue. */
    public static final String RAW_BODY = "gatewayRawBody";

    /** Exchange property: the request headers captured before they are cleared. */
    public static final String REQUEST_HEADER_MAP = "gatewayRequestHeaders";

    /**
     * Exchange property: the callback path name, the lower-cased segment after {@code /callbacks/},
     * taken from the request path alone (never from a header).
     */
    public static final String PATH_NAME = "gatewayPathName";

    /**
     * Exchange property: the Authorization header as a {@link RequestCredential}, which never
     * prints its value; it reaches no queue, no log and no rejected record.
     */
    public static final String CREDENTIAL = "gatewayCredential";

    private CallbackHeaders() {}
}

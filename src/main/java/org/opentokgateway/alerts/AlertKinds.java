package org.opentokgateway.alerts;

/**
 * The alert kinds the gateway raises or knows how to explain, and the JMS properties that the alert
 * and mail queues carry. Spelled here once.
 */
public final class AlertKinds {

    public static final String ARCHIVE_FAILED = "archive-failed";
    public static final String ARCHIVE_EXPIRED = "archive-expired";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String CALLBACK_ERRORS = "callback-errors";
    public static final String REJECTED_BURST = "rejected-burst";

    /** JMS property on an alert: its kind, so consumers can select on it. */
    public static final String KIND_HEADER = "opsAlertKind";

    /** JMS property on an alert that was already mailed while the broker was unreachable. */
    public static final String MAILED_HEADER = "opsAlertMailed";

    /** JMS property on an alert the gateway already wrote to its log when raising it. */
    public static final String LOGGED_HEADER = "opsAlertLogged";

    /** JMS property on a queued mail: its subject line. */
    public static final String MAIL_SUBJECT_HEADER = "opsMailSubject";

    private AlertKinds() {}
}

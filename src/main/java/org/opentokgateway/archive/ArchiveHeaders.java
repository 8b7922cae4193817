package org.opentokgateway.archive;

/**
 * Names of the headers put on job and alert messages and of the exchange property the archive
 * post-processing route branches on. Spelled here once.
 */
public final class ArchiveHeaders {

    /** Exchange property: what the route does with the callback (see the ACTION_ values). */
    public static final String ACTION = "archiveAction";

    public static final String ACTION_JOB = "job";
    public static final String ACTION_ALERT = "alert";

    /** The job goes to the download route first, which sends it on with the local file. */
    public static final String ACTION_DOWNLOAD = "download";

    public static final String ACTION_NONE = "none";

    /** On jobs and alerts: the archive the message is about. */
    public static final String ARCHIVE_ID = "archiveId";

    public static final String SESSION_ID = "sessionId";
    public static final String PROJECT_ID = "projectId";

    /** On jobs: {@code composed} or {@code individual}. */
    public static final String OUTPUT_MODE = "outputMode";

    /** On jobs: the status that made the file ready, {@code available} or {@code uploaded}. */
    public static final String READY_STATUS = "readyStatus";

    /** On alerts: the alert kind, e.g. {@code archive-failed}. */
    public static final String ALERT_KIND = "alertKind";

    public static final String ALERT_SEVERITY = "alertSeverity";

    private ArchiveHeaders() {}
}

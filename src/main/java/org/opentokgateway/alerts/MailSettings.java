package org.opentokgateway.alerts;

import java.util.Locale;

/**
 * The {@code gateway.mail.*} settings. An empty host means mail is off. The password is never part
 * of {@link #toString()}.
 */
public record MailSettings(
        String host,
        int port,
        String user,
        String password,
        String security,
        String from,
        String to,
        String subjectPrefix,
        int connectTimeoutMs,
        int readTimeoutMs) {

    public static final String NONE = "none";
    public static final String STARTTLS = "starttls";
    public static final String SMTPS = "smtps";

    public MailSettings {
        security =
                security == null || security.isBlank()
                        ? NONE
                        : security.trim().toLowerCase(Locale.ROOT);
        if (!security.equals(NONE) && !security.equals(STARTTLS) && !security.equals(SMTPS)) {
            throw new IllegalArgumentException(
                    "gateway.mail.smtp.security must be none, starttls or "
                            + "smtps, not '"
                            + security
                            + "'");
        }
    }

    /** Whether mail is on: an SMTP host is configured. */
    public boolean enabled() {
        return host != null && !host.isBlank();
    }

    /** smtps for implicit TLS, smtp otherwise (plain or upgraded with STARTTLS). */
    public String protocol() {
        return SMTPS.equals(security) ? "smtps" : "smtp";
    }

    @Override
    public String toString() {
        return protocol()
                + "://"
                + host
                + ":"
                + port
                + " security="
                + security
                + (user == null || user.isBlank() ? "" : " user=" + user)
                + " from="
                + from
                + " to="
                + to;
    }
}

package org.opentokgateway.health;

import java.util.regex.Pattern;

/** Removes credentials from broker URLs and error messages before they are shown or logged. */
final class Redaction {

    private static final Pattern USER_INFO = Pattern.compile("//[^/@()\\s]*@");
    private static final Pattern PASSWORD_OPTION =
            Pattern.compile("(?i)(password|passwd|secret)=[^&)\\s]*");

    private Redaction() {}

    /** The text with {@code user:password@} and {@code ...password=...} values masked. */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO.matcher(text).replaceAll("//***@");
        return PASSWORD_OPTION.matcher(masked).replaceAll("$1=***");
    }

    /**
     * The innermost cause as {@code Type: message}, without credentials and without slashes:
     * Camel's health output escapes a slash twice, which makes URLs unreadable there.
     */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + redact(root.getMessage());
        return (root.getClass().getSimpleName() + message).replace('/', ' ');
    }
}

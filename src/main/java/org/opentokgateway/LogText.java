package org.opentokgateway;

/**
 * Makes a value taken from a request safe to print on one log or console line: control characters
 * (CR, LF, the other C0 and C1 characters, DEL, line separators) become visible escapes such as
 * {@code \n}, {@code \r} and {@code \u0000}, so no value can forge a line.
 */
public final class LogText {

    private LogText() {}

    /** The value with every control character escaped; null stays null. */
    public static String escape(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        if (!needsEscaping(text)) {
            return text;
        }

        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (isControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}

package org.opentokgateway.intake;

import java.util.Locale;
import java.util.Map;

/**
 * The families of callbacks the platform sends, each stored on a queue of its own. The queue name
 * of a family is the property {@code gateway.queue.<family>-events}.
 */
public enum CallbackFamily {
    SESSION,
    CONNECTION,
    STREAM,
    ARCHIVE,
    SIP,
    BROADCAST,
    RENDER,
    UNKNOWN;

    private static final Map<String, CallbackFamily> BY_EVENT =
            Map.ofEntries(
                    Map.entry("sessionCreated", SESSION),
                    Map.entry("sessionDestroyed", SESSION),
                    Map.entry("sessionNotification", SESSION),
                    Map.entry("connectionCreated", CONNECTION),
                    Map.entry("connectionDestroyed", CONNECTION),
                    Map.entry("streamCreated", STREAM),
                    Map.entry("streamDestroyed", STREAM),
                    Map.entry("archive", ARCHIVE),
                    Map.entry("callCreated", SIP),
                    Map.entry("callUpdated", SIP),
                    Map.entry("callDestroyed", SIP),
                    Map.entry("muteForced", SIP),
                    Map.entry("broadcast", BROADCAST));

    /** The family an {@code event} value belongs to; {@link #UNKNOWN} for any other value. */
    public static CallbackFamily ofEvent(String event) {
        return BY_EVENT.getOrDefault(event, UNKNOWN);
    }

    /**
     * The family a callback path names when its body has no {@code event} field. Only families
     * whose bodies may come without one (archive, render, broadcast) can be named by a path.
     */
    public static CallbackFamily ofPathName(String name) {
        if (name == null) {
            return null;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "archive":
            case "archives":
                return ARCHIVE;
            case "render":
            case "renders":
            case "experience-composer":
                return RENDER;
            case "broadcast":
            case "broadcasts":
                return BROADCAST;
            default:
                return null;
        }
    }

    /** Lower-case name used in headers, logs and property keys. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The property that holds this family's queue name. */
    public String queueProperty() {
        return "gateway.queue." + label() + "-events";
    }
}

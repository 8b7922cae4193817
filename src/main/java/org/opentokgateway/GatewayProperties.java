package org.opentokgateway;

import org.apache.camel.CamelContext;

/**
 * Reads the gateway's settings through Camel's property placeholders, so that {@code
 * application.properties}, {@code -D} system properties and environment variables all apply. A key
 * that no source defines is a start-up error naming the key.
 */
public final class GatewayProperties {

    private final CamelContext context;

    public GatewayProperties(CamelContext context) {
        this.context = context;
    }

    public String get(String key) {
        return context.getPropertiesComponent()
                .resolveProperty(key)
                .map(String::trim)
                .orElseThrow(
                        () -> new IllegalArgumentException("The property " + key + " is not set"));
    }

    public long getLong(String key) {
        String value = get(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "The property " + key + " must be a whole number, not '" + value + "'", e);
        }
    }

    public int getInt(String key) {
        return Math.toIntExact(getLong(key));
    }
}

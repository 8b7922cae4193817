package org.opentokgateway.alerts;

/** One plain-text mail to the ops team: its subject line and body. Built by {@link AlertMailComposer}. */
public record OpsMail(String subject, String body) {
}

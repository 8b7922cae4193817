package org.opentokgateway.alerts;

/**
 * One plain-text mail to the ops team: subject line and body, built by {@link AlertMailComposer}.
 */
public record OpsMail(String subject, String body) {}

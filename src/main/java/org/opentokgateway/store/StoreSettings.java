package org.opentokgateway.store;

/**
 * Settings of the callback store, from the {@code gateway.store.*} properties.
 *
 * @param committers threads that each commit one group at a time
 * @param maxGroup the most callbacks in one transaction
 * @param maxWaiting the most callbacks waiting for a committer before requests are refused
 * @param timeoutMs how long a request waits for its commit before it gets 503
 */
public record StoreSettings(int committers, int maxGroup, int maxWaiting, long timeoutMs) {}

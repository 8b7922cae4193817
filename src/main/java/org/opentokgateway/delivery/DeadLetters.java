package org.opentokgateway.delivery;

/**
 * Names shared by the broker's dead-letter policy and the replay: a message that exhausted its
 * redeliveries on a queue lands on {@code DLQ.<queue>}, with the failure cause as a property.
 */
public final class DeadLetters {

    /** Prefix of the dead-letter queue of each queue. */
    public static final String PREFIX = "DLQ.";

    /** The property ActiveMQ sets on a dead letter: why its last delivery failed. */
    public static final String FAILURE_CAUSE = "dlqDeliveryFailureCause";

    private DeadLetters() {}

    /** The dead-letter queue of a queue. */
    public static String of(String queue) {
        return PREFIX + queue;
    }
}

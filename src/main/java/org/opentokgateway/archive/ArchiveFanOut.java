package org.opentokgateway.archive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.DestinationInterceptor;
import org.apache.activemq.broker.region.virtual.CompositeQueue;
import org.apache.activemq.broker.region.virtual.VirtualDestination;
import org.apache.activemq.broker.region.virtual.VirtualDestinationInterceptor;
import org.apache.activemq.broker.region.virtual.VirtualTopic;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQQueue;

/**
 * Makes the embedded broker keep every message sent to the archive-events queue there and also
 * store a copy on the post-processing queue, inside the same send: the intake's receipt (and so its
 * 200) comes only once both copies are stored. Applied by {@link ArchiveConfiguration}.
 */
public class ArchiveFanOut implements Consumer<BrokerService> {

    private final String archiveQueue;
    private final String postProcessQueue;

    public ArchiveFanOut(String archiveQueue, String postProcessQueue) {
        this.archiveQueue = archiveQueue;
        this.postProcessQueue = postProcessQueue;
    }

    @Override
    public void accept(BrokerService service) {
        CompositeQueue fanOut = new CompositeQueue();
        fanOut.setName(archiveQueue);
        // Not forward-only: the archive-events queue keeps its own copy for other consumers.
        fanOut.setForwardOnly(false);
        fanOut.setForwardTo(List.of(new ActiveMQQueue(postProcessQueue)));

        List<VirtualDestination> virtuals = new ArrayList<>();
        List<DestinationInterceptor> interceptors = new ArrayList<>();
        if (service.getDestinationInterceptors() == null) {
            // Setting interceptors replaces the broker's default one, which serves virtual topics.
            virtuals.add(new VirtualTopic());
        } else {
            interceptors.addAll(Arrays.asList(service.getDestinationInterceptors()));
        }
        virtuals.add(fanOut);
        VirtualDestinationInterceptor interceptor = new VirtualDestinationInterceptor();
        interceptor.setVirtualDestinations(virtuals.toArray(new VirtualDestination[0]));
        interceptors.add(interceptor);
        service.setDestinationInterceptors(interceptors.toArray(new DestinationInterceptor[0]));

        // Both queues exist from the start, so the first archive callback finds its target.
        List<ActiveMQDestination> destinations = new ArrayList<>();
        if (service.getDestinations() != null) {
            destinations.addAll(Arrays.asList(service.getDestinations()));
        }
        destinations.add(new ActiveMQQueue(archiveQueue));
        destinations.add(new ActiveMQQueue(postProcessQueue));
        service.setDestinations(destinations.toArray(new ActiveMQDestination[0]));
    }
}

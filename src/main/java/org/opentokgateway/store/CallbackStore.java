package org.opentokgateway.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.opentokgateway.intake.CallbackHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores callbacks durably with group commit: concurrent requests hand their message to a committer
 * thread, which sends every message waiting at that moment in one broker transaction and commits it
 * once (one disk sync for the whole group). Each request returns only when the commit that holds
 * its message has returned, so "stored before 200" holds for every one. Route: {@code
 * callback-store}.
 */
public class CallbackStore extends ServiceSupport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackStore.class);

    private final ConnectionFactory factory;
    private final StoreSettings settings;
    private final BlockingQueue<Pending> waiting;
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean running;

    /** One message waiting for a commit, and the request that waits for it. */
    private record Pending(
            String queue,
            byte[] body,
            Map<String, Object> headers,
            CompletableFuture<Void> stored) {}

    public CallbackStore(ConnectionFactory factory, StoreSettings settings) {
        this.factory = factory;
        this.settings = settings;
        this.waiting = new ArrayBlockingQueue<>(settings.maxWaiting());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String queue = exchange.getProperty(CallbackHeaders.TARGET_QUEUE, String.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Pending pending =
                new Pending(
                        queue,
                        body,
                        nonNull(exchange.getMessage().getHeaders()),
                        new CompletableFuture<>());

        store(pending);
    }

    private void store(Pending pending) throws StoreFailedException, InterruptedException {
        if (!running) {
            throw new StoreFailedException("the store is not running");
        }
        if (!waiting.offer(pending, settings.timeoutMs(), TimeUnit.MILLISECONDS)) {
            throw new StoreFailedException("too many callbacks waiting for the broker");
        }

        try {
            pending.stored().get(settings.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StoreFailedException(
                    "the broker did not take the callback: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new StoreFailedException(
                    "no receipt from the broker within " + settings.timeoutMs() + " ms");
        }
    }

    /** A copy of the headers without null values, which a JMS message cannot carry. */
    private static Map<String, Object> nonNull(Map<String, Object> headers) {
        Map<String, Object> copy = new HashMap<>();
        headers.forEach(
                (name, value) -> {
                    if (value != null) {
                        copy.put(name, value);
                    }
                });
        return copy;
    }

    @Override
    protected void doStart() {
        running = true;
        for (int i = 0; i < settings.committers(); i++) {
            Thread thread = new Thread(new Committer(), "callback-store-committer-" + i);
            thread.setDaemon(true);
            thread.start();
            committers.add(thread);
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        for (Thread thread : committers) {
            thread.join(settings.timeoutMs() + 1000);
        }
        committers.clear();

        Pending left;
        while ((left = waiting.poll()) != null) {
            left.stored()
                    .completeExceptionally(new StoreFailedException("the gateway is stopping"));
        }
    }

    /** Takes whatever is waiting, sends it in one transaction, commits, and answers all of it. */
    private final class Committer implements Runnable {

        private Connection connection;
        private Session session;
        private MessageProducer producer;
        private final Map<String, Queue> queues = new ConcurrentHashMap<>();

        @Override
        public void run() {
            List<Pending> group = new ArrayList<>(settings.maxGroup());
            while (running) {
                try {
                    Pending first = waiting.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    group.add(first);
                    waiting.drainTo(group, settings.maxGroup() - 1);

                    commit(group);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    group.clear();
                }
            }
            close();
        }

        private void commit(List<Pending> group) {
            // A connection that broke while idle (a broker restart) only shows it on use: then
            // the group is sent again once on a new connection. Nothing of the first try was
            // committed, since its session was gone.
            boolean reused = session != null;
            Exception first = send(group);
            Exception failure = first != null && reused ? send(group) : first;

            if (failure != null) {
                LOG.debug("A group of {} callbacks was not stored", group.size(), failure);
                group.forEach(p -> p.stored().completeExceptionally(failure));
                return;
            }
            LOG.debug("Stored a group of {} callbacks in one commit", group.size());
            group.forEach(p -> p.stored().complete(null));
        }

        /** Sends the group in one transaction; returns the failure, or null once committed. */
        private Exception send(List<Pending> group) {
            try {
                Session transacted = session();
                for (Pending pending : group) {
                    producer.send(
                            queue(pending.queue()),
                            toMessage(transacted, pending),
                            DeliveryMode.PERSISTENT,
                            Message.DEFAULT_PRIORITY,
                            Message.DEFAULT_TIME_TO_LIVE);
                }
                transacted.commit();
                return null;
            } catch (JMSException | RuntimeException e) {
                close();
                return e;
            }
        }

        private Message toMessage(Session transacted, Pending pending) throws JMSException {
            BytesMessage message = transacted.createBytesMessage();
            message.writeBytes(pending.body());
            for (Map.Entry<String, Object> header : pending.headers().entrySet()) {
                message.setObjectProperty(header.getKey(), header.getValue());
            }
            return message;
        }

        private Queue queue(String name) throws JMSException {
            Queue queue = queues.get(name);
            if (queue == null) {
                queue = session.createQueue(name);
                queues.put(name, queue);
            }
            return queue;
        }

        private Session session() throws JMSException {
            if (session == null) {
                connection = factory.createConnection();
                connection.start();
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
                producer = session.createProducer(null);
                queues.clear();
            }
            return session;
        }

        private void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("Closing the store connection failed", e);
                }
            }
            connection = null;
            session = null;
            producer = null;
        }
    }
}

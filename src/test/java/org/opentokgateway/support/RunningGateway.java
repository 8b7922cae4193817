package org.opentokgateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.opentokgateway.GatewayMain;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.delivery.CallbackKeyRepository;

/**
 * The gateway as users run it (the real routes/ folder, application.properties and embedded
 * broker), started inside the test JVM on free ports with a data folder of its own. Tests talk to
 * it over real HTTP and read its queues with a plain JMS client over TCP.
 */
public final class RunningGateway implements AutoCloseable {

    private final Main main;
    private final int httpPort;
    private final int brokerPort;
    private final Path dataDir;
    private final int managementPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningGateway(
            Main main, int httpPort, int brokerPort, Path dataDir, int managementPort) {
        this.main = main;
        this.httpPort = httpPort;
        this.brokerPort = brokerPort;
        this.dataDir = dataDir;
        this.managementPort = managementPort;
    }

    /** Starts a gateway with the defaults plus the given overrides. */
    public static RunningGateway start(Map<String, String> overrides) throws Exception {
        Path dataDir = Files.createTempDirectory("gateway-test-");
        // A free port can be taken by another socket of this machine between the moment it is
        // found and the moment the gateway binds it: then try again on other free ports.
        for (int attempt = 1; ; attempt++) {
            try {
                return start(overrides, dataDir, freePort(), freePort());
            } catch (Exception e) {
                if (attempt == 3 || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean portTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Starts a gateway on a given data folder and ports, e.g. again after a restart. */
    public static RunningGateway start(
            Map<String, String> overrides, Path dataDir, int httpPort, int brokerPort)
            throws Exception {
        return start(overrides, dataDir, httpPort, brokerPort, new CamelConfiguration[0]);
    }

    /** Starts a gateway with extra configuration classes, e.g. a test's own event notifier. */
    public static RunningGateway start(
            Map<String, String> overrides,
            Path dataDir,
            int httpPort,
            int brokerPort,
            CamelConfiguration... extra)
            throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.server.port", String.valueOf(httpPort));
        props.put("camel.server.host", "127.0.0.1");
        props.put("gateway.broker.embedded.name", "gateway-test-" + UUID.randomUUID());
        props.put("gateway.broker.embedded.connector", "tcp://127.0.0.1:" + brokerPort);
        props.put("gateway.broker.embedded.data-dir", dataDir.resolve("broker").toString());
        props.put("gateway.broker.embedded.store-limit-mb", "512");
        props.put("gateway.broker.embedded.temp-limit-mb", "128");
        props.put("camel.management.host", "127.0.0.1");
        props.put("camel.management.port", String.valueOf(freePort()));
        props.put("gateway.archive.data-dir", dataDir.resolve("archive").toString());
        props.put("gateway.dedup.data-dir", dataDir.resolve("dedup").toString());
        props.putAll(overrides);

        Main main = GatewayMain.create();
        for (CamelConfiguration configuration : extra) {
            main.configure().addConfiguration(configuration);
        }
        props.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception | Error e) {
            // A start that fails half-way must not leave servers of this test JVM running.
            try {
                main.stop();
            } catch (Exception ignored) {
                // The start failure is what the caller needs to see.
            }
            throw e;
        }
        int managementPort = Integer.parseInt(props.get("camel.management.port"));
        return new RunningGateway(main, httpPort, brokerPort, dataDir, managementPort);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public int httpPort() {
        return httpPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The management server (health and metrics), on a free port of its own. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** GETs a path of the management server, e.g. /observe/health/ready. */
    public HttpResponse<String> getManagement(String path)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(managementUrl() + path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The record of seen de-duplication keys. */
    public CallbackKeyRepository keyRepository() {
        return context()
                .getRegistry()
                .lookupByNameAndType("callbackKeyRepository", CallbackKeyRepository.class);
    }

    /** Forgets every de-duplication key, so a test may post callbacks that others posted. */
    public void forgetSeenCallbacks() {
        keyRepository().clear();
    }

    /** POSTs bytes to a path with a content type (null: no Content-Type header). */
    public HttpResponse<String> post(String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, byte[] body)
            throws IOException, InterruptedException {
        return post(path, body, "application/json");
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Messages waiting on a queue of the embedded broker (0 for a queue not created yet). */
    public long depth(String queue) {
        EmbeddedBroker broker =
                context().getRegistry().lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
        return Math.max(0, broker.queueDepth(queue));
    }

    /**
     * Takes every message off a queue, over TCP, as a plain JMS client would. Reads as many as the
     * broker says are waiting, so an empty queue costs no waiting.
     */
    public List<ReceivedMessage> drain(String queue) throws JMSException {
        List<ReceivedMessage> received = new ArrayList<>();
        long waiting = depth(queue);
        if (waiting == 0) {
            return received;
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            while (received.size() < waiting) {
                Message message = consumer.receive(5000);
                if (message == null) {
                    break;
                }
                received.add(ReceivedMessage.of(message));
            }
        }
        return received;
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }

    /** Stops the gateway and deletes its data folder. */
    public void closeAndDelete() throws Exception {
        close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A message read off a queue: its body bytes and its properties. */
    public record ReceivedMessage(byte[] body, Map<String, Object> properties) {

        static ReceivedMessage of(Message message) throws JMSException {
            Map<String, Object> props = new LinkedHashMap<>();
            var names = message.getPropertyNames();
            while (names.hasMoreElements()) {
                String name = (String) names.nextElement();
                props.put(name, message.getObjectProperty(name));
            }
            byte[] body;
            if (message instanceof BytesMessage bytes) {
                body = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(body);
            } else if (message instanceof TextMessage text) {
                body = text.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                body = new byte[0];
            }
            return new ReceivedMessage(body, props);
        }

        public String header(String name) {
            Object value = properties.get(name);
            return value == null ? null : value.toString();
        }
    }
}

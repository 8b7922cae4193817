package org.opentokgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;

/** The callback server over TLS with a self-signed key store, made here with the JDK's keytool. */
class HttpsCallbackTest {

    private static final String PASSWORD = "changeit-for-tests";

    private RunningGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.closeAndDelete();
        }
    }

    @Test
    void should_take_callbacks_over_https_with_a_self_signed_key_store() throws Exception {
        Path keyStore = selfSignedKeyStore();
        gateway =
                RunningGateway.start(
                        Map.of(
                                "camel.ssl.enabled",
                                "true",
                                "camel.ssl.keyStore",
                                "file:" + keyStore,
                                "camel.ssl.keystorePassword",
                                PASSWORD,
                                "camel.server.useGlobalSslContextParameters",
                                "true"));
        byte[] body = Files.readAllBytes(Samples.DIR.resolve("session/session-created.json"));
        URI https = URI.create("https://localhost:" + gateway.httpPort() + "/callbacks/session");
        URI plain = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/callbacks/session");

        HttpResponse<String> answer =
                trusting(keyStore)
                        .send(
                                HttpRequest.newBuilder(https)
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(1, gateway.drain("opentok.session.events").size());
        assertThrows(
                IOException.class,
                () ->
                        HttpClient.newBuilder()
                                .connectTimeout(Duration.ofSeconds(5))
                                .build()
                                .send(
                                        HttpRequest.newBuilder(plain)
                                                .timeout(Duration.ofSeconds(5))
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString()));
    }

    private static Path selfSignedKeyStore() throws Exception {
        Path dir = Files.createTempDirectory("gateway-tls-");
        Path keyStore = dir.resolve("gateway.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process =
                new ProcessBuilder(
                                keytool,
                                "-genkeypair",
                                "-alias",
                                "gateway",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-validity",
                                "2",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=dns:localhost",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                keyStore.toString(),
                                "-storepass",
                                PASSWORD)
                        .redirectErrorStream(true)
                        .start();
        assertEquals(0, process.waitFor(), new String(process.getInputStream().readAllBytes()));
        return keyStore;
    }

    private static HttpClient trusting(Path keyStore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }
}

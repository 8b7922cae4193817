package org.opentokgateway.security;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.opentokgateway.GatewayProperties;
import org.opentokgateway.admin.AdminRequestGuard;

/**
 * Binds the signature check and the source allow-list used by the intake route, and the guard of
 * the admin routes, from the {@code gateway.signature.*}, {@code gateway.http.*} and {@code
 * gateway.admin.*} properties.
 */
public class SecurityConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        GatewayProperties props = new GatewayProperties(context);

        Duration tolerance =
                Duration.ofSeconds(props.getLong("gateway.signature.iat-tolerance-seconds"));
        SignatureSecrets secrets =
                new SignatureSecrets(
                        props.get("gateway.signature.secrets"),
                        props.get("gateway.signature.path-secrets"),
                        props.get("gateway.signature.api-key-secrets"));
        TokenReplayGuard replayGuard =
                Boolean.parseBoolean(props.get("gateway.signature.replay-guard"))
                        ? new TokenReplayGuard(
                                tolerance,
                                props.getInt("gateway.signature.replay-guard-max-entries"),
                                Clock.systemUTC())
                        : null;

        VerifySignatureProcessor verify =
                new VerifySignatureProcessor(
                        new SignatureVerifier(secrets, tolerance),
                        props.get("gateway.signature.mode"),
                        props.get("gateway.signature.path-modes"),
                        replayGuard,
                        Clock.systemUTC());
        if (verify.isOn() && secrets.isEmpty()) {
            throw new IllegalArgumentException(
                    "Signatures are checked but gateway.signature.secrets (or a scoped secret) is"
                            + " not set");
        }
        context.getRegistry().bind("verifySignature", verify);

        context.getRegistry()
                .bind(
                        "adminGuard",
                        new AdminRequestGuard(
                                Boolean.parseBoolean(props.get("gateway.admin.allow-remote")),
                                props.get("gateway.http.forwarded-header")));

        context.getRegistry()
                .bind(
                        "checkSource",
                        new SourceAllowList(
                                props.get("gateway.http.allowed-sources"),
                                props.get("gateway.http.trusted-proxies"),
                                props.get("gateway.http.forwarded-header")));
    }
}

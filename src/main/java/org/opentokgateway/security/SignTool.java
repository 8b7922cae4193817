package org.opentokgateway.security;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HexFormat;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Prints a token signed the way the platform signs callbacks, for trying a gateway that checks
 * signatures: {@code java -jar opentok-callback-gateway.jar sign FILE [API_KEY]}. The secret comes
 * from the environment variable {@code GATEWAY_SIGNATURE_SECRET}, never an argument.
 */
public final class SignTool {

    private SignTool() {}

    public static int run(String[] args) {
        return run(args, System.getenv("GATEWAY_SIGNATURE_SECRET"), System.out, System.err);
    }

    /**
     * Runs the tool with a given secret; an ordinary failure (file not readable, secret too short)
     * is one line on {@code err} and exit code 1, never a stack trace.
     */
    static int run(String[] args, String secret, PrintStream out, PrintStream err) {
        if (args.length < 2 || secret == null || secret.isBlank()) {
            err.println("usage: GATEWAY_SIGNATURE_SECRET=... sign FILE [API_KEY]");
            return 2;
        }
        try {
            out.println(sign(args, secret));
            return 0;
        } catch (KeyLengthException e) {
            err.println(
                    "sign: the secret in GATEWAY_SIGNATURE_SECRET is too short: at least 32"
                            + " bytes are needed");
        } catch (NoSuchFileException e) {
            err.println("sign: no such file: " + e.getFile());
        } catch (IOException | JOSEException | RuntimeException e) {
            err.println(
                    "sign: "
                            + (e.getMessage() == null
                                    ? e.getClass().getSimpleName()
                                    : e.getMessage()));
        }
        return 1;
    }

    private static String sign(String[] args, String secret) throws IOException, JOSEException {
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        String apiKey = args.length > 2 ? args[2] : "123456";

        JWTClaimsSet claims =
                new JWTClaimsSet.Builder()
                        .issueTime(new Date())
                        .jwtID(UUID.randomUUID().toString())
                        .issuer("Vonage")
                        .claim(
                                "payload_hash",
                                HexFormat.of().formatHex(SignatureVerifier.sha256(body)))
                        .claim("api_key", apiKey)
                        .claim(
                                "application_id",
                                UUID.nameUUIDFromBytes(apiKey.getBytes(StandardCharsets.UTF_8))
                                        .toString())
                        .build();
        SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        token.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));

        return token.serialize();
    }
}

package org.opentokgateway.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Builds tokens the way the platform signs callbacks, for the signature tests. */
final class Tokens {

    static final String SECRET = "test-secret-that-is-long-enough-for-hs256-0001";
    static final String OTHER_SECRET = "another-secret-that-is-long-enough-for-hs256-2";

    private Tokens() {}

    static String bearer(byte[] body, String secret, Instant issued, String jti) throws Exception {
        return "Bearer " + token(JWSAlgorithm.HS256, body, secret, issued, jti, "123456");
    }

    static String token(
            JWSAlgorithm algorithm,
            byte[] body,
            String secret,
            Instant issued,
            String jti,
            String apiKey)
            throws Exception {
        JWTClaimsSet claims =
                new JWTClaimsSet.Builder()
                        .issueTime(Date.from(issued))
                        .jwtID(jti == null ? UUID.randomUUID().toString() : jti)
                        .issuer("Vonage")
                        .claim(
                                "payload_hash",
                                HexFormat.of().formatHex(SignatureVerifier.sha256(body)))
                        .claim("api_key", apiKey)
                        .claim("application_id", "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d")
                        .build();
        SignedJWT token = new SignedJWT(new JWSHeader(algorithm), claims);
        token.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return token.serialize();
    }
}

package org.opentokgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies the platform's signed callbacks: an {@code Authorization: Bearer} JWT, HS256 only,
 * signed with one of the configured secrets, whose {@code payload_hash} is the SHA-256 of the exact
 * bytes received and whose {@code iat} is within the tolerance. Pure and thread-safe; used by
 * {@link VerifySignatureProcessor}.
 */
public final class SignatureVerifier {

    private final SignatureSecrets secrets;
    private final Duration tolerance;

    /** The outcome of one verification: ok, or the short reason it failed. */
    public record Result(
            boolean ok, String reason, String apiKey, String tokenId, String payloadHash) {

        static Result failed(String reason) {
            return new Result(false, reason, null, null, null);
        }
    }

    public SignatureVerifier(SignatureSecrets secrets, Duration tolerance) {
        this.secrets = secrets;
        this.tolerance = tolerance;
    }

    /** Whether secrets are configured per project ({@code api_key}). */
    public boolean bindsProjects() {
        return secrets.hasProjectSecrets();
    }

    /**
     * Verifies one request.
     *
     * @param authorization the Authorization header, or null
     * @param body the request bytes exactly as received
     * @param pathName the callback path's last segment, for per-path secrets
     * @param now the current time
     */
    public Result verify(String authorization, byte[] body, String pathName, Instant now) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Result.failed("no bearer token");
        }

        SignedJWT token;
        JWTClaimsSet claims;
        try {
            token = SignedJWT.parse(authorization.substring(7).trim());
            claims = token.getJWTClaimsSet();
        } catch (ParseException e) {
            return Result.failed("the token is not a signed JWT");
        }

        // Pinned: only HS256 is accepted, whatever the token says (never none, never RS256).
        if (!JWSAlgorithm.HS256.equals(token.getHeader().getAlgorithm())) {
            return Result.failed("the token is not signed with HS256");
        }

        String apiKey = text(claims, "api_key");
        if (!signedWithKnownSecret(token, secrets.candidates(pathName, apiKey))) {
            return Result.failed("the signature does not match any configured secret");
        }

        String payloadHash = text(claims, "payload_hash");
        if (payloadHash == null || !sameHash(payloadHash, body)) {
            return Result.failed("payload_hash does not match the body");
        }

        Date issued = claims.getIssueTime();
        if (issued == null) {
            return Result.failed("the token has no iat");
        }
        Duration skew = Duration.between(issued.toInstant(), now).abs();
        if (skew.compareTo(tolerance) > 0) {
            return Result.failed("iat is outside the accepted window");
        }
        return new Result(
                true, null, apiKey, claims.getJWTID(), payloadHash.toLowerCase(Locale.ROOT));
    }

    private static boolean signedWithKnownSecret(SignedJWT token, List<byte[]> candidates) {
        for (byte[] secret : candidates) {
            try {
                if (token.verify(new MACVerifier(secret))) {
                    return true;
                }
            } catch (JOSEException e) {
                // A secret too short for HS256 is refused at start-up; nothing to try here.
                continue;
            }
        }
        return false;
    }

    /** Compares in constant time the hex SHA-256 of the received bytes with the claim. */
    private static boolean sameHash(String claimed, byte[] body) {
        byte[] expected =
                HexFormat.of().formatHex(sha256(body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = claimed.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value == null ? null : value.toString();
    }
}

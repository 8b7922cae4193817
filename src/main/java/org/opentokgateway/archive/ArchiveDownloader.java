package org.opentokgateway.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Fetches one archive file over HTTP into a target file, streamed through a small buffer (files can
 * exceed 2 GiB), and checks its size and SHA-256 against the callback's values. Used by {@link
 * ArchiveDownloadProcessor}.
 */
public class ArchiveDownloader {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int SHA256_BYTES = 32;

    private final HttpClient http;
    private final Duration responseTimeout;

    public ArchiveDownloader(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
        // No redirects: a redirect could lead outside the allowed URL prefixes.
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /** What a finished download wrote: the bytes and whether a checksum could be compared. */
    public record Result(long bytes, boolean checksumVerified) {}

    /** A download that did not give the expected file; the reason is fit for an alert. */
    public static class DownloadException extends Exception {
        private static final long serialVersionUID = 1L;

        public DownloadException(String reason) {
            super(reason);
        }
    }

    /**
     * Downloads url into target (written as target.part first, then moved into place).
     *
     * @param expectedSize bytes the callback announced; null or 0: not checked
     * @param sha256sum the callback's checksum, base64 or hex; anything else is not checked
     */
    public Result download(String url, Path target, Long expectedSize, String sha256sum)
            throws DownloadException, InterruptedException {
        byte[] expectedDigest = decodeSha256(sha256sum);
        long limit = expectedSize == null || expectedSize <= 0 ? Long.MAX_VALUE : expectedSize;
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url)).timeout(responseTimeout).GET().build();
            HttpResponse<InputStream> response =
                    http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DownloadException("HTTP " + response.statusCode());
                }
                try (OutputStream out = Files.newOutputStream(part)) {
                    byte[] buffer = new byte[BUFFER_BYTES];
                    int read;
                    while ((read = body.read(buffer)) >= 0) {
                        bytes += read;
                        // More bytes than announced are cut off: a server may not fill the disk.
                        if (bytes > limit) {
                            throw new DownloadException(
                                    "more than the announced " + limit + " bytes");
                        }
                        digest.update(buffer, 0, read);
                        out.write(buffer, 0, read);
                    }
                }
            }
            if (limit != Long.MAX_VALUE && bytes != limit) {
                throw new DownloadException(
                        "size mismatch: " + bytes + " bytes, announced " + limit);
            }
            if (expectedDigest != null && !MessageDigest.isEqual(expectedDigest, digest.digest())) {
                throw new DownloadException("sha256 mismatch");
            }
            Files.move(
                    part,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            return new Result(bytes, expectedDigest != null);
        } catch (IOException | IllegalArgumentException e) {
            throw new DownloadException(
                    "download failed: "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // The next attempt overwrites the partial file anyway.
            }
        }
    }

    /** The 32 bytes of a base64 (as real callbacks carry) or hex checksum; null when neither. */
    static byte[] decodeSha256(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        boolean hex = text.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        if (text.length() == 2 * SHA256_BYTES && hex) {
            return HexFormat.of().parseHex(text);
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(text);
            return decoded.length == SHA256_BYTES ? decoded : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

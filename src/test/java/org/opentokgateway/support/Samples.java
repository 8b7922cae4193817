package org.opentokgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The callback samples in samples/ and the manifest that says what the gateway does with each. */
public final class Samples {

    public static final Path DIR = Path.of("samples");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {}

    /**
     * A sample from samples/archive with its archive id replaced, and some fields too, given as
     * name, value pairs: a fresh archive that no other test has posted.
     */
    public static byte[] archive(String sample, String id, Object... fields) throws IOException {
        ObjectNode root =
                (ObjectNode)
                        JSON.readTree(Files.readAllBytes(DIR.resolve("archive").resolve(sample)));
        root.put("id", id);
        for (int i = 0; i < fields.length; i += 2) {
            root.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        return JSON.writeValueAsBytes(root);
    }

    /** One manifest row: file, path posted to, expected status, expected family ("-": none). */
    public record Sample(String file, String path, int status, String family) {

        public byte[] bytes() throws IOException {
            return Files.readAllBytes(DIR.resolve(file));
        }

        public boolean stored() {
            return !"-".equals(family);
        }
    }

    public static List<Sample> all() throws IOException {
        return Files.readAllLines(DIR.resolve("manifest.tsv")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t"))
                .map(cols -> new Sample(cols[0], cols[1], Integer.parseInt(cols[2]), cols[3]))
                .collect(Collectors.toList());
    }
}

package org.opentokgateway.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The README's configuration table names every key of application.properties. */
class ReadmeConfigurationTest {

    @Test
    void should_document_every_property_in_the_readme() throws Exception {
        String readme = Files.readString(Path.of("README.md"));

        List<String> missing =
                Files.readAllLines(Path.of("application.properties")).stream()
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .map(line -> line.substring(0, line.indexOf('=')).trim())
                        .filter(key -> !readme.contains("`" + key + "`"))
                        .collect(Collectors.toList());

        assertTrue(missing.isEmpty(), "keys missing from README.md: " + missing);
    }
}

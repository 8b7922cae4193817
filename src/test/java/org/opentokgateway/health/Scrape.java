package org.opentokgateway.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One reading of /observe/metrics (Prometheus text), with sums over chosen labels. */
final class Scrape {

    private record Series(String name, Map<String, String> labels, double value) {}

    private final List<Series> series = new ArrayList<>();

    Scrape(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            String key = line.substring(0, split);
            double value = Double.parseDouble(line.substring(split + 1));
            int brace = key.indexOf('{');
            String name = brace < 0 ? key : key.substring(0, brace);
            Map<String, String> labels =
                    brace < 0 ? Map.of() : labels(key.substring(brace + 1, key.length() - 1));
            series.add(new Series(name, labels, value));
        }
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split("\",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String value = pair.substring(equals + 1).replace("\"", "");
            labels.put(pair.substring(0, equals).trim(), value);
        }
        return labels;
    }

    /** Sum of every series of the metric whose labels include all of the given ones. */
    double sum(String name, Map<String, String> labels) {
        return series.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Series::value)
                .sum();
    }

    double sum(String name) {
        return sum(name, Map.of());
    }

    boolean has(String name) {
        return series.stream().anyMatch(s -> s.name().equals(name));
    }
}

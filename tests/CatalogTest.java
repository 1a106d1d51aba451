import com.fasterxml.jackson.databind.JsonNode;
import local.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {

    static final Path ROOT = Team.repoRoot();

    @Test
    void everyScriptHasAnAliasWithADescriptionAndEveryAliasPointsAtAScript() throws Exception {
        JsonNode aliases = Json.MAPPER.readTree(ROOT.resolve("jbang-catalog.json").toFile()).path("aliases");
        Set<String> referenced = new HashSet<>();
        aliases.properties().forEach(e -> {
            String ref = e.getValue().path("script-ref").asText();
            assertTrue(Files.isRegularFile(ROOT.resolve(ref)), e.getKey() + " points at a missing " + ref);
            assertFalse(e.getValue().path("description").asText().isBlank(), e.getKey() + " has no description");
            assertEquals("17+", e.getValue().path("java").asText(), e.getKey());
            referenced.add(ref);
        });
        List<String> scripts;
        try (Stream<Path> top = Files.list(ROOT); Stream<Path> hooks = Files.list(ROOT.resolve("hooks"))) {
            scripts = Stream.concat(top, hooks)
                    .filter(p -> p.toString().endsWith(".java"))
                    .map(p -> ROOT.relativize(p).toString())
                    .toList();
        }
        for (String script : scripts) {
            assertTrue(referenced.contains(script), script + " has no alias in jbang-catalog.json");
            String header = Files.readString(ROOT.resolve(script));
            assertTrue(header.startsWith("///usr/bin/env jbang \"$0\" \"$@\" ; exit $?\n//DESCRIPTION "), script);
            assertTrue(header.contains("\n//JAVA 17+\n"), script);
        }
    }
}

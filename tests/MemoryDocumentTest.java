import memory.MemoryDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryDocumentTest {

    static final String BASE = """
            # Team memory

            ## Decisions
            - Use SQLite for the cart store [5f2c9a1e, turn 3]
            - Keep the API frozen until v2 [9a8b7c6d, turn 1200]

            ## Open questions
            - Do we need multi-currency? [5f2c9a1e, turn 12]
            """;

    static MemoryDocument doc(String text) {
        return MemoryDocument.parse(text);
    }

    static List<String> bullets(MemoryDocument d, String section) {
        return d.section(section).map(MemoryDocument.Section::bullets).orElse(List.of());
    }

    @Test
    void renderOfParsedCanonicalTextIsIdentical() {
        assertEquals(BASE, doc(BASE).render());
    }

    @Test
    void parseToleratesAnyTextAndOrdersKnownSections() {
        MemoryDocument d = doc("""
                intro line
                ## open QUESTIONS
                * star bullet
                ## Custom notes
                - kept as unknown section
                ## Decisions
                - first
                  continued on the next line
                prose inside a section
                """);
        assertEquals(List.of("first continued on the next line"), bullets(d, "Decisions"));
        assertEquals(List.of("star bullet"), bullets(d, "Open questions"));
        String rendered = d.render();
        assertTrue(rendered.indexOf("## Decisions") < rendered.indexOf("## Open questions"));
        assertTrue(rendered.indexOf("## Open questions") < rendered.indexOf("## Custom notes"));
        assertTrue(rendered.contains("prose inside a section"));
    }

    /**
     * Bullets and their continuation lines are scanned by hand (a regex per line cost every hook);
     * the regexes they replaced still decide, on lines of awkward characters: every kind of space,
     * line separators a regex's '.' stops at, markers, hashes.
     */
    @Test
    void linesAreBulletsContinuationsOrProseExactlyAsTheFormerRegexesSaid() {
        Pattern bulletRegex = Pattern.compile("^ {0,3}[-*+]\\s+(.*)$");
        Pattern continuationRegex = Pattern.compile("^(\\s{2,}|\\t)\\S.*$");
        char[] alphabet = {' ', ' ', '\t', '-', '*', '+', 'a', '\u000B', '\f', '\u0085', '\u2028', '\u2029', '\u00a0', '\u2003', '#'};
        Random random = new Random(8);
        for (int n = 0; n < 100_000; n++) {
            StringBuilder line = new StringBuilder();
            for (int i = random.nextInt(9); i > 0; i--) {
                line.append(alphabet[random.nextInt(alphabet.length)]);
            }
            List<String> bullets = bullets(doc("## Decisions\n- first\n" + line), "Decisions");
            // What the regexes were given: the line without trailing whitespace.
            String stripped = line.toString().stripTrailing();
            Matcher bullet = bulletRegex.matcher(stripped);
            String shown = line.chars().mapToObj(Integer::toHexString).toList().toString();
            if (bullet.matches() && !bullet.group(1).isBlank()) {
                assertEquals(2, bullets.size(), "a bullet: " + shown);
            } else {
                assertEquals(1, bullets.size(), "not a bullet: " + shown);
                assertEquals(continuationRegex.matcher(stripped).matches(), !bullets.get(0).equals("first"), "continuation: " + shown);
            }
        }
    }

    @Test
    void identityIgnoresProvenanceCaseAndWhitespace() {
        assertEquals(MemoryDocument.identity("Use  SQLite for the cart store [5f2c9a1e, turn 3]"),
                MemoryDocument.identity("use sqlite for the cart store [00000000, turn 99]"));
    }

    @Test
    void bothSidesAddKeepsBothBulletsTheirsFirst() {
        MemoryDocument ours = doc(BASE.replace("## Open questions", "- Ours: SSE over WebSockets [aaaaaaaa, turn 1]\n\n## Open questions"));
        MemoryDocument theirs = doc(BASE.replace("## Open questions", "- Theirs: payments out of scope [bbbbbbbb, turn 2]\n\n## Open questions"));
        MemoryDocument merged = MemoryDocument.merge(doc(BASE), ours, theirs);
        List<String> decisions = bullets(merged, "Decisions");
        assertEquals(4, decisions.size(), merged.render());
        assertTrue(decisions.get(2).startsWith("Theirs"));
        assertTrue(decisions.get(3).startsWith("Ours"));
    }

    @Test
    void oneSideDeletesOtherUntouchedDeletes() {
        MemoryDocument ours = doc(BASE.replace("- Keep the API frozen until v2 [9a8b7c6d, turn 1200]\n", ""));
        MemoryDocument merged = MemoryDocument.merge(doc(BASE), ours, doc(BASE));
        assertEquals(List.of("Use SQLite for the cart store [5f2c9a1e, turn 3]"), bullets(merged, "Decisions"));
        MemoryDocument mergedOtherWay = MemoryDocument.merge(doc(BASE), doc(BASE), ours);
        assertEquals(bullets(merged, "Decisions"), bullets(mergedOtherWay, "Decisions"));
    }

    @Test
    void oneSideDeletesWhileOtherAddsElsewhere() {
        MemoryDocument ours = doc(BASE.replace("- Do we need multi-currency? [5f2c9a1e, turn 12]\n", ""));
        MemoryDocument theirs = doc(BASE + "- Which CDN? [cccccccc, turn 4]\n");
        MemoryDocument merged = MemoryDocument.merge(doc(BASE), ours, theirs);
        assertEquals(List.of("Which CDN? [cccccccc, turn 4]"), bullets(merged, "Open questions"));
        assertEquals(2, bullets(merged, "Decisions").size());
    }

    @Test
    void bothDeleteStaysDeleted() {
        String without = BASE.replace("- Use SQLite for the cart store [5f2c9a1e, turn 3]\n", "");
        MemoryDocument merged = MemoryDocument.merge(doc(BASE), doc(without), doc(without));
        assertEquals(1, bullets(merged, "Decisions").size());
    }

    @Test
    void sameBulletAddedTwiceAppearsOnce() {
        String added = BASE + "- Is Safari in scope? [dddddddd, turn 5]\n";
        MemoryDocument merged = MemoryDocument.merge(doc(BASE), doc(added),
                doc(BASE + "- is safari  in scope? [eeeeeeee, turn 9]\n"));
        assertEquals(2, bullets(merged, "Open questions").size(), merged.render());
    }

    @Test
    void sectionOnlyOnOneSideIsKept() {
        MemoryDocument ours = doc(BASE + "\n## Live workarounds\n- user_id=1 hardcoded in CartController [aaaaaaaa, turn 7]\n");
        MemoryDocument theirs = doc(BASE + "\n## Scope changes\n- Payments out of scope [bbbbbbbb, turn 2]\n");
        MemoryDocument merged = MemoryDocument.merge(doc(BASE), ours, theirs);
        assertEquals(1, bullets(merged, "Live workarounds").size());
        assertEquals(1, bullets(merged, "Scope changes").size());
        String text = merged.render();
        assertTrue(text.indexOf("## Live workarounds") < text.indexOf("## Scope changes"), "known order of SPEC §5");
    }

    @Test
    void textOutsideBulletsTakesTheChangedSideOrTheirsWhenBoth() {
        String oursText = BASE.replace("# Team memory", "# Team memory\n\nOurs intro.");
        String theirsText = BASE.replace("# Team memory", "# Team memory\n\nTheirs intro.");
        assertTrue(MemoryDocument.merge(doc(BASE), doc(oursText), doc(BASE)).render().contains("Ours intro."));
        assertTrue(MemoryDocument.merge(doc(BASE), doc(BASE), doc(theirsText)).render().contains("Theirs intro."));
        String both = MemoryDocument.merge(doc(BASE), doc(oursText), doc(theirsText)).render();
        assertTrue(both.contains("Theirs intro.") && !both.contains("Ours intro."), both);
    }

    @Test
    void hardCapDropsOldestBulletsOfTheLongestSectionAndReportsThem() {
        String many = "# Team memory\n\n## Decisions\n"
                + IntStream.range(0, 50).mapToObj(i -> "- decision " + i + " [aaaaaaaa, turn " + i + "]\n").collect(Collectors.joining())
                + "\n## Open questions\n"
                + IntStream.range(0, 15).mapToObj(i -> "- question " + i + " [aaaaaaaa, turn " + i + "]\n").collect(Collectors.joining());
        MemoryDocument.Capped capped = doc(many).capped();
        assertEquals(MemoryDocument.MAX_BULLETS, capped.document().bulletCount());
        assertEquals(5, capped.dropped().size());
        assertEquals("decision 0 [aaaaaaaa, turn 0]", capped.dropped().get(0).bullet());
        assertEquals(15, bullets(capped.document(), "Open questions").size());
    }

    @Test
    void hardCapHoldsTheCharacterLimitEvenForProseOnly() {
        String longBullets = "# T\n\n## Decisions\n" + IntStream.range(0, 40)
                .mapToObj(i -> "- " + "x".repeat(300) + " " + i + "\n").collect(Collectors.joining());
        MemoryDocument.Capped capped = doc(longBullets).capped();
        assertTrue(capped.document().render().length() <= MemoryDocument.MAX_CHARS);
        assertFalse(capped.dropped().isEmpty());
        String prose = "# T\n\n" + "word ".repeat(3000) + "\n";
        assertTrue(doc(prose).capped().document().render().length() <= MemoryDocument.MAX_CHARS);
    }

    @Test
    void withinCapNothingIsDropped() {
        assertTrue(doc(BASE).capped().dropped().isEmpty());
        assertEquals(BASE, doc(BASE).capped().document().render());
    }

    @Test
    void deltaIgnoresReorderingAndReportsAddsAndRemovals() {
        String reordered = """
                # Team memory

                ## Decisions
                - Keep the API frozen until v2 [9a8b7c6d, turn 1200]
                - Use SQLite for the cart store [5f2c9a1e, turn 3]

                ## Open questions
                - Do we need multi-currency? [5f2c9a1e, turn 12]
                """;
        assertTrue(MemoryDocument.delta(doc(BASE), doc(reordered)).isEmpty());
        MemoryDocument.Delta delta = MemoryDocument.delta(doc(BASE),
                doc(reordered.replace("- Do we need multi-currency? [5f2c9a1e, turn 12]", "- Which CDN? [x, turn 1]")));
        assertEquals(List.of(new MemoryDocument.Entry("Open questions", "Which CDN? [x, turn 1]")), delta.added());
        assertEquals(1, delta.removed().size());
    }

    @Test
    void claudeMdSeedKeepsKnownSectionsAndFilesTheRestAsHandoffNotes() {
        MemoryDocument seeded = MemoryDocument.fromClaudeMd("""
                # Project
                Some prose.
                ## Decisions
                - Postgres 16 only
                ## Conventions
                - Run make lint before pushing
                """);
        assertEquals(List.of("Postgres 16 only"), bullets(seeded, "Decisions"));
        assertEquals(List.of("Run make lint before pushing"), bullets(seeded, "Handoff notes"));
        assertFalse(seeded.render().contains("Some prose."));
    }
}

package session;

import memory.MemoryDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks an engine's output before it can replace team memory (SPEC §8.6): fences and preambles
 * are stripped; what remains must parse as a memory with known sections; a result that removes
 * more than 70 % of the bullets of a memory that had at least 5 is refused unless allowed.
 */
public final class DistillOutput {

    static final double MAX_REMOVED_SHARE = 0.70;
    static final int MIN_BULLETS_FOR_SHRINK_CHECK = 5;
    private static final Pattern FENCE = Pattern.compile("^\\s*```[\\w-]*\\s*$");

    /** An accepted memory, or the reason it was refused. */
    public sealed interface Verdict {
        record Accepted(MemoryDocument memory) implements Verdict {}

        record Rejected(String reason) implements Verdict {}
    }

    private DistillOutput() {
    }

    /**
     * @param allowShrink a compaction is pending or {@code --force} was given: a large removal is fine
     */
    public static Verdict validate(String output, MemoryDocument current, boolean allowShrink) {
        List<String> lines = new ArrayList<>();
        for (String line : output.replace("\r\n", "\n").split("\n", -1)) {
            if (!FENCE.matcher(line).matches()) {
                lines.add(line);
            }
        }
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith("#")) {
            start++;
        }
        if (start == lines.size()) {
            return new Verdict.Rejected(output.isBlank() ? "empty output" : "no Markdown heading in the output");
        }
        MemoryDocument parsed = MemoryDocument.parse(String.join("\n", lines.subList(start, lines.size())));
        boolean known = parsed.sections().stream().anyMatch(s -> MemoryDocument.isKnownSection(s.name()));
        if (!known && parsed.bulletCount() == 0 && current.bulletCount() > 0) {
            return new Verdict.Rejected("no known section in the output");
        }
        if (!known && parsed.bulletCount() > 0) {
            return new Verdict.Rejected("bullets outside the known sections");
        }
        int before = current.bulletCount();
        int after = parsed.bulletCount();
        double removed = before == 0 || after >= before ? 0 : (double) (before - after) / before;
        if (!allowShrink && before >= MIN_BULLETS_FOR_SHRINK_CHECK && removed > MAX_REMOVED_SHARE) {
            return new Verdict.Rejected(String.format("output drops %d of the %d bullets (more than 70%%)", before - after, before));
        }
        return new Verdict.Accepted(parsed);
    }
}

package session;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The language that marks team knowledge in a conversation: what the signal filter scores and the
 * extractive engine files under a section. One list of patterns serves both, so the filter never
 * skips what the extractive engine would have kept.
 */
public final class Signals {

    /** A kind of knowledge and the memory section it goes to (empty for TODO markers and fixes). */
    public enum Kind {
        QUESTION("Open questions", 2, "\\bopen question\\b|\\btbd\\b|\\bundecided\\b|\\bnot sure yet\\b|\\bneed to decide\\b|\\bstill unclear\\b"),
        RESOLUTION("", 1, "\\bis fixed\\b|\\bwas fixed\\b|\\bfixed (?:the|it)\\b|\\bno longer (?:broken|needed|fails|failing)\\b"
                + "|\\bremoved the (?:hack|workaround|stub)\\b|\\bworks now\\b|\\bis resolved\\b"),
        BREAKAGE("Known broken state", 2, "\\bbroken\\b|\\bis failing\\b|\\bfails\\b|\\bknown issue\\b|\\bregression\\b|\\bflaky\\b"
                + "|\\bcrash(?:es|ing)?\\b|\\bdoes(?:n't| not) build\\b"),
        WORKAROUND("Live workarounds", 3, "\\bhack\\b|\\bworkaround\\b|\\btemporary\\b|\\btemporarily\\b|\\bhard-?code[ds]?\\b"
                + "|\\bstub(?:bed|s)?\\b|\\bmonkey-?patch|\\bquick fix\\b"),
        SCOPE("Scope changes", 2, "\\bout of scope\\b|\\bdescoped\\b|\\bde-scoped\\b|\\bdeferred\\b|\\bpostpone[ds]?\\b"
                + "|\\bnot in (?:this|the) (?:sprint|release|milestone)\\b|\\bin scope\\b"),
        REJECTION("Rejected paths", 3, "\\brejected\\b|\\bwon't work\\b|\\bdoes(?:n't| not) work\\b|\\bruled out\\b"
                + "|\\bwe tried\\b.*\\bbut\\b|\\bdecided against\\b|\\bnot going (?:to|with)\\b|\\babandon(?:ed)?\\b"),
        DECISION("Decisions", 3, "\\bdecided\\b|\\bdecision\\b|\\bgo(?:ing)? with\\b|\\bwe(?:'ll| will) use\\b"
                + "|\\bchose\\b|\\bsettled on\\b|\\bagreed\\b|\\bstandardi[sz]e on\\b|\\bfrom now on\\b|\\bkeep .* frozen\\b"),
        TODO("", 1, "\\bTODO\\b|\\bFIXME\\b");

        private final String section;
        private final int weight;
        private final Pattern pattern;

        Kind(String section, int weight, String regex) {
            this.section = section;
            this.weight = weight;
            this.pattern = Pattern.compile(regex, this.name().equals("TODO") ? 0 : Pattern.CASE_INSENSITIVE);
        }

        public String section() {
            return section;
        }

        public int weight() {
            return weight;
        }

        boolean matches(String text) {
            return pattern.matcher(text).find();
        }
    }

    /** Default threshold of the signal filter (SPEC §8.3; {@code WYREN_TIER0_THRESHOLD}). */
    public static final int DEFAULT_THRESHOLD = 3;

    private static final Set<String> STOP_WORDS = Set.of(
            "the", "and", "for", "with", "that", "this", "are", "was", "were", "but", "not", "you", "your", "our",
            "has", "have", "had", "its", "it's", "into", "from", "then", "than", "they", "them", "will", "would",
            "should", "could", "can", "use", "using", "used", "now", "all", "any", "one", "out", "about", "also",
            "just", "there", "here", "what", "when", "which", "who", "why", "how", "let", "let's", "we'll", "don't",
            // signal words say what kind of knowledge a sentence is, not what it is about
            "decided", "decision", "agreed", "rejected", "won't", "doesn't", "work", "hack", "temporary", "workaround",
            "broken", "known", "issue", "scope", "deferred", "question", "open", "need", "going", "keep", "still");

    private Signals() {
    }

    /**
     * The kind a sentence carries, most specific first (an explicit open question beats "broken").
     * A question is knowledge only when marked as open: "should we use X?" decides nothing.
     */
    public static Optional<Kind> classify(String sentence) {
        if (sentence.strip().endsWith("?")) {
            return Kind.QUESTION.matches(sentence) ? Optional.of(Kind.QUESTION) : Optional.empty();
        }
        for (Kind kind : List.of(Kind.QUESTION, Kind.RESOLUTION, Kind.BREAKAGE, Kind.WORKAROUND, Kind.SCOPE,
                Kind.REJECTION, Kind.DECISION)) {
            if (kind.matches(sentence)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /**
     * The weighted score of a slice: each kind of knowledge present counts its weight once, file
     * edits count 2 for the first and 1 more for the second, TODO/FIXME markers anywhere count 1.
     */
    public static int score(Transcript.Slice slice) {
        EnumSet<Kind> present = EnumSet.noneOf(Kind.class);
        for (Transcript.Block block : slice.blocks()) {
            for (Kind kind : Kind.values()) {
                String text = kind == Kind.TODO ? block.text() : block.prose();
                if (kind.matches(text)) {
                    present.add(kind);
                }
            }
        }
        int score = present.stream().mapToInt(Kind::weight).sum();
        score += Math.min(slice.edits(), 2) == 0 ? 0 : Math.min(slice.edits(), 2) + 1;
        return score;
    }

    /** Content words of a text, for telling whether two sentences are about the same thing. */
    public static Set<String> keywords(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String raw : text.toLowerCase(Locale.ROOT).split("[^a-z0-9_./'-]+")) {
            String word = raw.replaceAll("^[./'-]+|[./'-]+$", "");
            if (word.length() < 3 || STOP_WORDS.contains(word)) {
                continue;
            }
            words.add(word.endsWith("s") && word.length() > 3 ? word.substring(0, word.length() - 1) : word);
        }
        return words;
    }

    /** Shared content words over the smaller set: 1 when one sentence's subject is inside the other's. */
    public static double overlap(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        long shared = a.stream().filter(b::contains).count();
        return shared < 2 ? 0 : (double) shared / Math.min(a.size(), b.size());
    }
}

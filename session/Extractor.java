package session;

import local.ShortId;
import memory.MemoryDocument;
import memory.Provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline, deterministic distiller (SPEC §8.4 {@code extractive}). It reads what the user and
 * the assistant said (never tool input or output), files each sentence that carries signal under
 * its section as a bullet of at most {@value #MAX_BULLET} characters with a provenance tag, and
 * keeps the memory hygienic: a newer bullet replaces one that restates the same subject, a fix
 * removes the workaround or breakage it names, a decision closes the open question it answers, and
 * each section keeps its newest {@value #SOFT_CAP} bullets. Every replacement and removal is reported.
 *
 * <p>Two sentences share a subject when they share enough content words and, where either names
 * something specific (Redis, {@code CartController}, {@code user_id}, SSE), they name the same
 * thing: "We rejected Redis because the failover story was too weak" does not replace the same
 * sentence about Kafka.
 */
public final class Extractor {

    static final int MAX_BULLET = 200;
    static final int SOFT_CAP = 12;
    private static final int FOLLOW_UP_WORDS = 8;
    /** Capitalized only because they open a sentence: not names. */
    private static final Set<String> SENTENCE_STARTERS = Set.of("the", "we", "i", "it", "this", "that", "these", "those",
            "there", "our", "a", "an", "let", "lets", "use", "keep", "do", "dont", "after", "before", "for", "so", "also",
            "now", "then", "when", "if", "because", "since", "all", "every", "no", "not", "never", "always", "please",
            "decided", "rejected", "we'll", "ll", "going", "from", "until", "in", "on", "at", "to", "and", "but", "or");
    private static final double SAME_SUBJECT = 0.4;

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\"'(\\[])");
    private static final Pattern LEADING_FILLER = Pattern.compile(
            "^(?:(?:ok(?:ay)?|right|so|also|well|yes|final(?:ly)?|alright|fine)\\b[,:]?\\s+)+", Pattern.CASE_INSENSITIVE);
    /** An assistant reply that opens like this restates what the user just said. */
    private static final Pattern ACKNOWLEDGEMENT = Pattern.compile(
            "^(?:done|noted|understood|agreed|got it|ok(?:ay)?|sure|right|great|will do|sounds good)\\b", Pattern.CASE_INSENSITIVE);

    private Extractor() {
    }

    /** The new memory and one line per bullet it replaced or removed. */
    public record Result(MemoryDocument memory, List<String> changes) {}

    /** The new memory: {@code memory} updated with what {@code slice} adds, hygiene applied. */
    public static Result distill(MemoryDocument memory, Transcript.Slice slice, String sessionId) {
        List<String> changes = new ArrayList<>();
        Map<String, List<String>> sections = new LinkedHashMap<>();
        for (MemoryDocument.Section s : memory.sections()) {
            sections.put(s.name(), new ArrayList<>(s.bullets()));
        }
        String tag = ShortId.of(sessionId);
        for (Transcript.Block block : slice.blocks()) {
            if (block.role().equals("assistant") && ACKNOWLEDGEMENT.matcher(block.prose().strip()).find()) {
                continue;
            }
            for (Finding finding : findings(block.prose())) {
                apply(sections, finding, "[" + tag + ", turn " + block.turn() + "]", changes);
            }
        }
        List<MemoryDocument.Section> result = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : sections.entrySet()) {
            List<String> bullets = e.getValue();
            boolean peopleOwnIt = e.getKey().equals("Handoff notes");
            List<String> kept = peopleOwnIt || bullets.size() <= SOFT_CAP ? bullets
                    : bullets.subList(bullets.size() - SOFT_CAP, bullets.size());
            List<String> prose = memory.section(e.getKey()).map(MemoryDocument.Section::prose).orElse(List.of());
            result.add(new MemoryDocument.Section(e.getKey(), prose, kept));
        }
        return new Result(new MemoryDocument(memory.preamble(), result), List.copyOf(changes));
    }

    /** A sentence (with its short follow-ups) and the kind of knowledge it carries. */
    record Finding(Signals.Kind kind, String text) {}

    static List<Finding> findings(String prose) {
        List<String> sentences = new ArrayList<>();
        for (String paragraph : prose.split("\\n+")) {
            for (String sentence : SENTENCE_END.split(paragraph.strip())) {
                if (!sentence.isBlank()) {
                    sentences.add(sentence.strip());
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            Optional<Signals.Kind> kind = Signals.classify(sentences.get(i));
            if (kind.isEmpty() || kind.get() == Signals.Kind.TODO || words(sentences.get(i)) < 3) {
                continue;
            }
            StringBuilder text = new StringBuilder(sentences.get(i));
            while (i + 1 < sentences.size()) {
                String next = sentences.get(i + 1);
                Optional<Signals.Kind> nextKind = Signals.classify(next);
                boolean belongs = words(next) <= FOLLOW_UP_WORDS && (nextKind.isEmpty() || nextKind.equals(kind))
                        && text.length() + 1 + next.length() <= MAX_BULLET;
                if (!belongs) {
                    break;
                }
                text.append(' ').append(next);
                i++;
            }
            findings.add(new Finding(kind.get(), clean(text.toString())));
        }
        return findings;
    }

    private static void apply(Map<String, List<String>> sections, Finding finding, String tag, List<String> changes) {
        if (finding.kind() == Signals.Kind.RESOLUTION) {
            for (Signals.Kind fixed : List.of(Signals.Kind.WORKAROUND, Signals.Kind.BREAKAGE)) {
                remove(sections.get(fixed.section()), finding.text(), "removed as fixed", changes);
            }
            return;
        }
        if (finding.kind() == Signals.Kind.DECISION) {
            remove(sections.get(Signals.Kind.QUESTION.section()), finding.text(), "removed as answered", changes);
        }
        List<String> bullets = sections.computeIfAbsent(finding.kind().section(), k -> new ArrayList<>());
        String bullet = finding.text();
        if (bullet.length() + 1 + tag.length() > MAX_BULLET) {
            bullet = bullet.substring(0, MAX_BULLET - tag.length() - 2).strip() + "…";
        }
        remove(bullets, finding.text(), "replaced by '" + bullet + "'", changes);
        bullets.add(bullet + " " + tag);
    }

    private static void remove(List<String> bullets, String by, String why, List<String> changes) {
        if (bullets == null) {
            return;
        }
        bullets.removeIf(old -> {
            boolean same = sameSubject(by, Provenance.withoutTag(old));
            if (same) {
                changes.add("'" + old + "' " + why);
            }
            return same;
        });
    }

    /** Enough shared content words, and the same specific names where either sentence has any. */
    static boolean sameSubject(String a, String b) {
        if (Signals.overlap(Signals.keywords(a), Signals.keywords(b)) < SAME_SUBJECT) {
            return false;
        }
        Set<String> namesA = names(a);
        Set<String> namesB = names(b);
        return namesA.isEmpty() && namesB.isEmpty() || namesA.stream().anyMatch(namesB::contains);
    }

    /**
     * What a sentence names specifically: capitalized words past its first, acronyms, and code-like
     * words (with digits, underscores, dots or inner capitals), lower-cased.
     */
    static Set<String> names(String sentence) {
        Set<String> names = new java.util.LinkedHashSet<>();
        String[] words = sentence.split("[^A-Za-z0-9_./]+");
        for (int i = 0; i < words.length; i++) {
            String word = words[i].replaceAll("^[./]+|[./]+$", "");
            if (word.length() < 2) {
                continue;
            }
            boolean first = i == 0 || i == 1 && words[0].isEmpty();
            boolean capitalized = Character.isUpperCase(word.charAt(0))
                    && (!first || !SENTENCE_STARTERS.contains(word.toLowerCase(Locale.ROOT)));
            boolean codeLike = word.chars().anyMatch(c -> Character.isDigit(c) || c == '_' || c == '.' || c == '/')
                    || word.chars().skip(1).anyMatch(Character::isUpperCase);
            if (capitalized || codeLike) {
                names.add(word.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static String clean(String sentence) {
        String text = LEADING_FILLER.matcher(sentence.strip()).replaceFirst("");
        text = text.replaceAll("\\s+", " ").replaceAll("`", "");
        if (text.isEmpty()) {
            return text;
        }
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    private static int words(String sentence) {
        return sentence.strip().split("\\s+").length;
    }
}

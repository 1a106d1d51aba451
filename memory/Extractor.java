package memory;

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
 * keeps the memory hygienic: a newer bullet replaces one it restates or contradicts, a fix removes
 * the workaround or breakage it names, a decision closes the open question it answers, and each
 * section keeps its newest {@value #SOFT_CAP} bullets.
 */
public final class Extractor {

    static final int MAX_BULLET = 200;
    static final int SOFT_CAP = 12;
    private static final int FOLLOW_UP_WORDS = 8;
    private static final double SAME_SUBJECT = 0.4;

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\"'(\\[])");
    private static final Pattern LEADING_FILLER = Pattern.compile(
            "^(?:(?:ok(?:ay)?|right|so|also|well|yes|final(?:ly)?|alright|fine)\\b[,:]?\\s+)+", Pattern.CASE_INSENSITIVE);
    /** An assistant reply that opens like this restates what the user just said. */
    private static final Pattern ACKNOWLEDGEMENT = Pattern.compile(
            "^(?:done|noted|understood|agreed|got it|ok(?:ay)?|sure|right|great|will do|sounds good)\\b", Pattern.CASE_INSENSITIVE);

    private Extractor() {
    }

    /** The new memory: {@code memory} updated with what {@code slice} adds, hygiene applied. */
    public static MemoryDocument distill(MemoryDocument memory, Transcript.Slice slice, String sessionId) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        for (MemoryDocument.Section s : memory.sections()) {
            sections.put(s.name(), new ArrayList<>(s.bullets()));
        }
        String tag = sessionId.substring(0, Math.min(8, sessionId.length()));
        for (Transcript.Block block : slice.blocks()) {
            if (block.role().equals("assistant") && ACKNOWLEDGEMENT.matcher(block.prose().strip()).find()) {
                continue;
            }
            for (Finding finding : findings(block.prose())) {
                apply(sections, finding, "[" + tag + ", turn " + block.turn() + "]");
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
        return new MemoryDocument(memory.preamble(), result);
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

    private static void apply(Map<String, List<String>> sections, Finding finding, String tag) {
        Set<String> subject = Signals.keywords(finding.text());
        if (finding.kind() == Signals.Kind.RESOLUTION) {
            for (Signals.Kind fixed : List.of(Signals.Kind.WORKAROUND, Signals.Kind.BREAKAGE)) {
                List<String> bullets = sections.get(fixed.section());
                if (bullets != null) {
                    bullets.removeIf(b -> Signals.overlap(subject, Signals.keywords(MemoryDocument.identity(b))) >= SAME_SUBJECT);
                }
            }
            return;
        }
        if (finding.kind() == Signals.Kind.DECISION) {
            List<String> questions = sections.get(Signals.Kind.QUESTION.section());
            if (questions != null) {
                questions.removeIf(b -> Signals.overlap(subject, Signals.keywords(MemoryDocument.identity(b))) >= SAME_SUBJECT);
            }
        }
        List<String> bullets = sections.computeIfAbsent(finding.kind().section(), k -> new ArrayList<>());
        bullets.removeIf(b -> Signals.overlap(subject, Signals.keywords(MemoryDocument.identity(b))) >= SAME_SUBJECT);
        String bullet = finding.text();
        if (bullet.length() + 1 + tag.length() > MAX_BULLET) {
            bullet = bullet.substring(0, MAX_BULLET - tag.length() - 2).strip() + "…";
        }
        bullets.add(bullet + " " + tag);
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

package memory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Secret redaction (SPEC §8.8), applied to everything before it leaves the machine: the transcript
 * slice before the prompt, and every file before it is committed. A secret becomes
 * {@code [redacted:<kind>]}.
 *
 * <p>Precision over recall: each detector matches what is surely a secret (a known token shape, a
 * value assigned to a name that says it is secret, a password flag, "the password is ..."), and
 * code, hashes, uuids and commit ids stay as they are. The test suite measures both on a corpus.
 *
 * <p>Linear time, whatever the input: the text is cut once into atoms (runs of letters, digits,
 * {@code _} and {@code -}); each detector looks at one atom and a bounded stretch after it, and
 * literal searches ({@code -----BEGIN}, {@code ://}, webhook hosts) move only forward. No regular
 * expression ever runs over the input, so no crafted string can make redaction backtrack.
 */
public final class Redactor {

    /** The redacted text and how many secrets were replaced. */
    public record Result(String text, int count) {}

    private record Span(int start, int end, String kind) {}

    private record Atom(int start, int end) {}

    static final int MAX_VALUE = 256;
    static final int MAX_BASE64 = 65_536;
    private static final int MIN_BASE64 = 24;

    private Redactor() {
    }

    public static Result redact(String text) {
        return redact(text, true);
    }

    private static Result redact(String text, boolean decodeBase64) {
        List<Span> spans = new ArrayList<>();
        privateKeys(text, spans);
        urls(text, spans);
        List<Atom> atoms = atoms(text);
        for (int k = 0; k < atoms.size(); k++) {
            Atom atom = atoms.get(k);
            shape(text, atom, spans);
            dotted(text, atoms, k, spans);
            telegram(text, atoms, k, spans);
            assignment(text, atom, spans);
            flag(text, atom, spans);
            prose(text, atom, spans);
            authorization(text, atom, spans);
        }
        if (decodeBase64) {
            base64(text, spans);
        }
        return apply(text, spans);
    }

    // ------------------------------------------------------------------------------------ scanning

    private static boolean wordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }

    private static List<Atom> atoms(String text) {
        List<Atom> atoms = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!wordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && wordChar(text.charAt(i))) {
                i++;
            }
            atoms.add(new Atom(start, i));
        }
        return atoms;
    }

    private static void privateKeys(String text, List<Span> spans) {
        int from = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", from);
            if (begin < 0) {
                return;
            }
            int headerEnd = text.indexOf("-----", begin + 11);
            if (headerEnd < 0) {
                return;
            }
            if (headerEnd - begin > 80 || !text.substring(begin + 11, headerEnd).contains("PRIVATE KEY")) {
                from = begin + 11;
                continue;
            }
            int end = text.indexOf("-----END ", headerEnd + 5);
            int close = end < 0 ? -1 : text.indexOf("-----", end + 9);
            int stop = close < 0 || close - end > 80 ? text.length() : close + 5;
            spans.add(new Span(begin, stop, "private-key"));
            from = stop;
        }
    }

    /** Passwords in URLs ({@code scheme://user:password@host}) and chat webhook URLs. */
    private static void urls(String text, List<Span> spans) {
        int from = 0;
        while (true) {
            int scheme = text.indexOf("://", from);
            if (scheme < 0) {
                break;
            }
            int userStart = scheme + 3;
            int colon = -1;
            for (int i = userStart; i < text.length() && i < userStart + 256; i++) {
                char c = text.charAt(i);
                if (c == '@') {
                    if (colon > userStart && i > colon + 1 && !text.startsWith("[redacted", userStart)) {
                        spans.add(new Span(userStart, i, "url-credentials"));
                    }
                    break;
                }
                if (c == ':' && colon < 0) {
                    colon = i;
                } else if (c == '/' || c == '?' || c == '#' || Character.isWhitespace(c) || c == '"' || c == '\'') {
                    break;
                }
            }
            from = userStart;
        }
        for (String[] webhook : SecretRules.WEBHOOKS) {
            int at = 0;
            while ((at = text.indexOf(webhook[0], at)) >= 0) {
                int start = at + webhook[0].length();
                int end = start;
                while (end < text.length() && end < start + 256 && (wordChar(text.charAt(end)) || text.charAt(end) == '/'
                        || text.charAt(end) == '@' || text.charAt(end) == '.')) {
                    end++;
                }
                if (end - start >= 8) {
                    spans.add(new Span(start, end, webhook[1]));
                }
                at = Math.max(end, at + 1);
            }
        }
    }

    // ------------------------------------------------------------------------------------ detectors

    private static void shape(String text, Atom atom, List<Span> spans) {
        int length = atom.end() - atom.start();
        for (SecretRules.Shape shape : SecretRules.SHAPES) {
            int rest = length - shape.prefix().length();
            if (rest < shape.minRest() || rest > shape.maxRest() || !text.startsWith(shape.prefix(), atom.start())) {
                continue;
            }
            if (SecretRules.allIn(text, atom.start() + shape.prefix().length(), atom.end(), shape.alphabet())) {
                spans.add(new Span(atom.start(), atom.end(), shape.kind()));
                return;
            }
        }
    }

    /** Tokens made of atoms joined by dots: JWTs, SendGrid, Vault, Google OAuth and Doppler tokens. */
    private static void dotted(String text, List<Atom> atoms, int k, List<Span> spans) {
        Atom first = atoms.get(k);
        String head = text.substring(first.start(), Math.min(first.end(), first.start() + 8));
        if (head.startsWith("eyJ") && dottedRun(text, atoms, k, 3, 8)) {
            spans.add(new Span(first.start(), atoms.get(k + 2).end(), "jwt"));
        } else if (head.equals("SG") && dottedRun(text, atoms, k, 3, 2) && len(atoms.get(k + 1)) == 22 && len(atoms.get(k + 2)) == 43) {
            spans.add(new Span(first.start(), atoms.get(k + 2).end(), "sendgrid-key"));
        } else if ((head.equals("hvs") || head.equals("hvb")) && dottedRun(text, atoms, k, 2, 3) && len(atoms.get(k + 1)) >= 20) {
            spans.add(new Span(first.start(), atoms.get(k + 1).end(), "vault-token"));
        } else if (head.equals("ya29") && dottedRun(text, atoms, k, 2, 4) && len(atoms.get(k + 1)) >= 20) {
            spans.add(new Span(first.start(), atoms.get(k + 1).end(), "google-oauth-token"));
        } else if (head.equals("dp") && dottedRun(text, atoms, k, 3, 2) && len(atoms.get(k + 1)) == 2 && len(atoms.get(k + 2)) >= 40) {
            spans.add(new Span(first.start(), atoms.get(k + 2).end(), "doppler-token"));
        }
    }

    /** Atoms k..k+count-1 are joined by single dots and each is at least {@code minEach} long. */
    private static boolean dottedRun(String text, List<Atom> atoms, int k, int count, int minEach) {
        if (k + count > atoms.size()) {
            return false;
        }
        for (int i = k; i < k + count; i++) {
            Atom atom = atoms.get(i);
            if (len(atom) < minEach) {
                return false;
            }
            if (i > k && (atom.start() != atoms.get(i - 1).end() + 1 || text.charAt(atom.start() - 1) != '.')) {
                return false;
            }
        }
        return true;
    }

    private static void telegram(String text, List<Atom> atoms, int k, List<Span> spans) {
        Atom id = atoms.get(k);
        if (k + 1 >= atoms.size() || len(id) < 8 || len(id) > 10 || !SecretRules.allIn(text, id.start(), id.end(), "0-9")) {
            return;
        }
        Atom token = atoms.get(k + 1);
        if (token.start() == id.end() + 1 && text.charAt(id.end()) == ':' && len(token) >= 33 && len(token) <= 36
                && text.startsWith("AA", token.start())) {
            spans.add(new Span(id.start(), token.end(), "telegram-bot-token"));
        }
    }

    /** {@code NAME = value} (also {@code NAME: value}, JSON, YAML) where the name says the value is secret. */
    private static void assignment(String text, Atom atom, List<Span> spans) {
        if (len(atom) > 64) {
            return;
        }
        String kind = SecretRules.secretName(text.substring(atom.start(), atom.end()));
        if (kind == null) {
            return;
        }
        int p = atom.end();
        int quotes = 0;
        while (p < text.length() && quotes < 2 && (text.charAt(p) == '"' || text.charAt(p) == '\'')) {
            p++;
            quotes++;
        }
        p = skipBlanks(text, p, 8);
        if (p < text.length() && text.charAt(p) == ':' && p + 1 < text.length() && text.charAt(p + 1) == '=') {
            p += 2;
        } else if (p < text.length() && text.charAt(p) == '=' && p + 1 < text.length() && text.charAt(p + 1) == '>') {
            p += 2;
        } else if (p < text.length() && (text.charAt(p) == '=' || text.charAt(p) == ':')) {
            p++;
        } else {
            return;
        }
        if (p < text.length() && (text.charAt(p) == '=' || text.charAt(p) == ':')) {
            return;
        }
        value(text, skipBlanks(text, p, 8), kind, false, spans);
    }

    /** {@code --password X}, {@code --token=X}. */
    private static void flag(String text, Atom atom, List<Span> spans) {
        if (len(atom) > 20 || !SecretRules.PASSWORD_FLAGS.contains(text.substring(atom.start(), atom.end()).toLowerCase(Locale.ROOT))) {
            return;
        }
        int p = atom.end();
        if (p < text.length() && text.charAt(p) == '=') {
            p++;
        } else {
            int after = skipBlanks(text, p, 4);
            if (after == p) {
                return;
            }
            p = after;
        }
        if (p < text.length() && text.charAt(p) != '-') {
            value(text, p, text.substring(atom.start(), atom.end()).contains("pass") ? "password" : "token", false, spans);
        }
    }

    /** "the password is hunter2", "token was 'abc123'": only a quoted value or one with a digit or symbol. */
    private static void prose(String text, Atom atom, List<Span> spans) {
        if (len(atom) > 10 || !SecretRules.PROSE_NOUNS.contains(text.substring(atom.start(), atom.end()).toLowerCase(Locale.ROOT))) {
            return;
        }
        int p = skipBlanks(text, atom.end(), 4);
        int verb = p;
        while (p < text.length() && p < verb + 4 && Character.isLetter(text.charAt(p))) {
            p++;
        }
        String said = text.substring(verb, p).toLowerCase(Locale.ROOT);
        if (!said.equals("is") && !said.equals("was") || p == verb) {
            return;
        }
        if (p < text.length() && text.charAt(p) == ':') {
            p++;
        }
        int start = skipBlanks(text, p, 4);
        if (start == p) {
            return;
        }
        String noun = text.substring(atom.start(), atom.end()).toLowerCase(Locale.ROOT);
        value(text, start, noun.startsWith("pass") || noun.equals("pwd") ? "password" : noun, true, spans);
    }

    /** {@code Bearer <token>} and {@code Basic <base64 of user:password>}. */
    private static void authorization(String text, Atom atom, List<Span> spans) {
        String word = text.substring(atom.start(), atom.end());
        boolean bearer = word.equalsIgnoreCase("bearer");
        if (!bearer && !word.equals("Basic")) {
            return;
        }
        int start = skipBlanks(text, atom.end(), 4);
        if (start == atom.end() || text.startsWith("[redacted", start)) {
            return;
        }
        int end = start;
        while (end < text.length() && end < start + 4096 && (wordChar(text.charAt(end)) || "._~+/=".indexOf(text.charAt(end)) >= 0)) {
            end++;
        }
        if (bearer && end - start >= 16) {
            spans.add(new Span(start, end, "bearer-token"));
        } else if (!bearer && end - start >= 8 && decodes(text.substring(start, end)).filter(d -> d.contains(":")).isPresent()) {
            spans.add(new Span(start, end, "basic-auth"));
        }
    }

    /**
     * A secret value starting at {@code start}: quoted (to its closing quote, on one line) or bare (to
     * a blank or punctuation that ends values), at most {@value #MAX_VALUE} characters; redacted when
     * it looks like a secret rather than a placeholder, a reference or code.
     */
    private static void value(String text, int start, String kind, boolean prose, List<Span> spans) {
        if (start >= text.length()) {
            return;
        }
        char quote = text.charAt(start);
        boolean quoted = quote == '"' || quote == '\'' || quote == '`';
        int from = quoted ? start + 1 : start;
        int end = from;
        while (end < text.length() && end < from + MAX_VALUE) {
            char c = text.charAt(end);
            if (quoted ? c == quote || c == '\n' : Character.isWhitespace(c) || "\"'`,;&<>".indexOf(c) >= 0) {
                break;
            }
            end++;
        }
        if (!quoted && prose) {
            while (end > from && ".!?:".indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            }
        }
        String value = text.substring(from, end);
        if (SecretRules.looksSecret(value, prose && !quoted)) {
            spans.add(new Span(from, end, kind));
        }
    }

    /**
     * Base64 runs whose decoded text holds a secret (an encoded private key or token): the whole run
     * goes, and so do the base64 lines right after an encoded key's first line.
     */
    private static void base64(String text, List<Span> spans) {
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!base64Char(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && base64Char(text.charAt(i))) {
                i++;
            }
            int length = i - start;
            if (length < MIN_BASE64) {
                continue;
            }
            // A huge run is only looked at for an encoded key at its start, so decoding stays bounded.
            String run = text.substring(start, length > MAX_BASE64 ? start + 256 : i);
            java.util.Optional<String> decoded = decodes(run.substring(0, run.length() - run.length() % 4));
            if (decoded.isEmpty()) {
                continue;
            }
            boolean key = decoded.get().contains("PRIVATE KEY");
            if (key || redact(decoded.get(), false).count() > 0) {
                int end = i;
                while (key && end + 1 < n && text.charAt(end) == '\n' && base64Char(text.charAt(end + 1))) {
                    int next = end + 1;
                    while (next < n && base64Char(text.charAt(next))) {
                        next++;
                    }
                    end = next;
                }
                spans.add(new Span(start, end, key ? "private-key" : "base64-secret"));
                i = end;
            }
        }
    }

    private static boolean base64Char(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_');
    }

    /** The run decoded as standard or URL-safe base64, if it is mostly printable text. */
    private static java.util.Optional<String> decodes(String run) {
        String trimmed = run.replace("=", "");
        byte[] bytes;
        try {
            bytes = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        int printable = 0;
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f || b == '\n' || b == '\r' || b == '\t') {
                printable++;
            }
        }
        return bytes.length > 0 && printable * 10 >= bytes.length * 9
                ? java.util.Optional.of(new String(bytes, StandardCharsets.UTF_8)) : java.util.Optional.empty();
    }

    // ------------------------------------------------------------------------------------ helpers

    private static Result apply(String text, List<Span> spans) {
        if (spans.isEmpty()) {
            return new Result(text, 0);
        }
        spans.sort(Comparator.comparingInt(Span::start).thenComparing(Comparator.comparingInt(Span::end).reversed()));
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        int count = 0;
        for (Span span : spans) {
            if (span.start() < at) {
                continue;
            }
            out.append(text, at, span.start()).append("[redacted:").append(span.kind()).append(']');
            at = span.end();
            count++;
        }
        out.append(text, at, text.length());
        return new Result(out.toString(), count);
    }

    private static int skipBlanks(String text, int from, int max) {
        int p = from;
        while (p < text.length() && p < from + max && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    private static int len(Atom atom) {
        return atom.end() - atom.start();
    }
}

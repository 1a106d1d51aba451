package memory;

import java.util.Optional;

/**
 * The session (as tagged, usually its first 8 characters) and turn a bullet came from: its tag
 * {@code [<session>, turn <n>]} at the end, which is not part of the bullet's identity.
 */
public record Provenance(String session, String turn) {

    /** A bullet's provenance tag {@code [<session>, turn <n>]}, if it has one. */
    public static Optional<Provenance> of(String bullet) {
        int start = start(bullet);
        if (start < 0) {
            return Optional.empty();
        }
        String tag = bullet.substring(bullet.indexOf('[', start) + 1, bullet.stripTrailing().length() - 1);
        int comma = tag.lastIndexOf(',');
        return Optional.of(new Provenance(tag.substring(0, comma).strip(), tag.substring(comma + 1).strip().substring("turn".length()).strip()));
    }

    /**
     * Where a bullet's provenance tag {@code [<up to 64 characters>, turn <n>]} (and the blanks before
     * it) starts, or -1 when it has none. A scan from the end, linear in the bullet's length.
     */
    public static int start(String bullet) {
        int end = bullet.length();
        while (end > 0 && Character.isWhitespace(bullet.charAt(end - 1))) {
            end--;
        }
        if (end == 0 || bullet.charAt(end - 1) != ']') {
            return -1;
        }
        int open = bullet.lastIndexOf('[', end - 1);
        if (open < 0 || end - 1 - open > 80) {
            return -1;
        }
        String inside = bullet.substring(open + 1, end - 1);
        int comma = inside.lastIndexOf(',');
        if (comma < 1 || comma > 64 || inside.indexOf(']') >= 0) {
            return -1;
        }
        String turn = inside.substring(comma + 1).strip();
        if (!turn.startsWith("turn")) {
            return -1;
        }
        String number = turn.substring(4).strip();
        if (number.isEmpty() || number.length() == turn.length() - 4 || !allDigits(number)) {
            return -1;
        }
        int start = open;
        while (start > 0 && Character.isWhitespace(bullet.charAt(start - 1))) {
            start--;
        }
        return start;
    }


    /** A loop, not {@code chars().allMatch}: hooks run this for every bullet, interpreted. */
    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The bullet's text before its tag (all of it when it has none), trailing blanks removed. */
    public static String withoutTag(String bullet) {
        int tag = start(bullet);
        return (tag < 0 ? bullet : bullet.substring(0, tag)).stripTrailing();
    }
}

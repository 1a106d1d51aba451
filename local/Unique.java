package local;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names and times for a hook's hot path, without the JDK machinery whose first use costs a hook
 * more than its whole work: {@code UUID.randomUUID()} and {@code Files.createTempFile} start the
 * security providers for a {@code SecureRandom} (about 15 ms), and {@code Instant.toString()} /
 * {@code Instant.parse} build the {@code java.time} formatters (a few ms). Nothing here is secret:
 * names only need to be unique on this machine, and files are created with {@code CREATE_NEW}.
 */
public final class Unique {

    private static final AtomicLong COUNTER = new AtomicLong();

    private Unique() {
    }

    /**
     * Unique on this machine: a clock every process shares, a counter and a random number. Not the
     * pid: {@code ProcessHandle}'s set-up costs a hook that starts no process ~0.5 ms.
     */
    public static String token() {
        return Long.toHexString(System.nanoTime()) + "-" + COUNTER.incrementAndGet()
                + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** {@code 2026-12-01T06:30:00.123Z}: an instant in UTC, milliseconds, the format {@code Instant.parse} reads. */
    public static String iso(Instant instant) {
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        long ofDay = Math.floorMod(seconds, 86_400);
        StringBuilder out = new StringBuilder(24);
        out.append(date.getYear()).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, ofDay / 3600, 2).append(':');
        pad(out, ofDay / 60 % 60, 2).append(':');
        pad(out, ofDay % 60, 2).append('.');
        return pad(out, instant.getNano() / 1_000_000, 3).append('Z').toString();
    }

    public static String now() {
        return iso(Instant.now());
    }

    /** Reads what {@link #iso} writes (and any {@code Instant.toString()} in UTC); other text is an exception. */
    public static Instant parse(String iso) {
        try {
            if (iso.length() < 20 || iso.charAt(4) != '-' || iso.charAt(7) != '-' || iso.charAt(10) != 'T'
                    || iso.charAt(13) != ':' || iso.charAt(16) != ':' || !iso.endsWith("Z")) {
                throw new DateTimeParseException("not an ISO instant", iso, 0);
            }
            LocalDate date = LocalDate.of(Integer.parseInt(iso, 0, 4, 10), Integer.parseInt(iso, 5, 7, 10),
                    Integer.parseInt(iso, 8, 10, 10));
            long seconds = date.toEpochDay() * 86_400 + Integer.parseInt(iso, 11, 13, 10) * 3600L
                    + Integer.parseInt(iso, 14, 16, 10) * 60L + Integer.parseInt(iso, 17, 19, 10);
            int nanos = 0;
            if (iso.charAt(19) == '.') {
                String fraction = iso.substring(20, iso.length() - 1);
                nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
            }
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new DateTimeParseException("not an ISO instant", iso, 0, e);
        }
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}

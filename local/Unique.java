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
            long seconds = epochDay(Integer.parseInt(iso, 0, 4, 10), Integer.parseInt(iso, 5, 7, 10),
                    Integer.parseInt(iso, 8, 10, 10)) * 86_400 + Integer.parseInt(iso, 11, 13, 10) * 3600L
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

    /**
     * Days since 1970-01-01 of a valid date (else a {@link java.time.DateTimeException}): what
     * {@code LocalDate.of(..).toEpochDay()} computes, without its leap-year check, whose first call
     * builds {@code Year}'s formatter (~40 classes of java.time and regex set-up in a hook).
     */
    private static long epochDay(int year, int month, int day) {
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int length = month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        if (month < 1 || month > 12 || day < 1 || day > length) {
            throw new java.time.DateTimeException("no such date: " + year + "-" + month + "-" + day);
        }
        // Counted from a year that starts on 1 March, so that the leap day ends it (civil-date arithmetic).
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * ((month + 9) % 12) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}

package sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A file of the working copy under {@code .wyren/} as found on disk, read without following a
 * symlink. People edit these files, so a file may be half saved: one changed within
 * {@link #SETTLE} is {@link Regular#settled() unsettled} and is never published until it settles.
 */
sealed interface WorkingFile {

    /** Files larger than this are not memory; a pasted log belongs elsewhere. */
    long MAX_BYTES = 1_000_000;
    /** A file whose last change is more recent than this may still be being written. */
    Duration SETTLE = Duration.ofMillis(300);

    /** A readable text file; {@code settled} when unchanged for {@link #SETTLE}. */
    record Regular(byte[] bytes, boolean settled) implements WorkingFile {}

    record Missing() implements WorkingFile {}

    /** Something that is not usable memory: a directory, symlink, binary or oversized file, or an empty or truncated memory. */
    record Unusable(String why, boolean worthKeeping) implements WorkingFile {}

    /** A memory file that looks half written (empty, or cut short mid-line) and changed just now: left alone this time. */
    record InProgress(String why) implements WorkingFile {}

    /** Any file of the working copy (broadcast files): regular, UTF-8 or not, within {@link #MAX_BYTES}. */
    static WorkingFile read(Path file) {
        return read(file, false, Optional::empty);
    }

    /**
     * The memory file: besides {@link #read(Path)}, it must be UTF-8 text, and an empty file or one
     * cut short mid-line (a strict prefix of {@code lastWritten}, what Wyren last wrote there) is
     * not a memory: {@link Unusable} once settled, {@link InProgress} before.
     */
    static WorkingFile readMemory(Path file, Supplier<Optional<byte[]>> lastWritten) {
        return read(file, true, lastWritten);
    }

    private static WorkingFile read(Path file, boolean memory, Supplier<Optional<byte[]>> lastWritten) {
        try {
            BasicFileAttributes found = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!found.isRegularFile()) {
                return new Unusable(found.isDirectory() ? "a directory" : found.isSymbolicLink() ? "a symlink" : "not a regular file",
                        found.isDirectory());
            }
            if (found.size() > MAX_BYTES) {
                return new Unusable("larger than " + MAX_BYTES + " bytes", true);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                return new Unusable("larger than " + MAX_BYTES + " bytes", true);
            }
            boolean settled = found.lastModifiedTime().toInstant().isBefore(Instant.now().minus(SETTLE));
            if (!memory) {
                return new Regular(bytes, settled);
            }
            Optional<String> text = utf8(bytes);
            if (text.isEmpty() || text.get().indexOf('\0') >= 0) {
                return new Unusable("not UTF-8 text", true);
            }
            if (text.get().isBlank()) {
                return settled ? new Unusable("empty", false) : new InProgress("empty");
            }
            if (bytes[bytes.length - 1] != '\n' && isStrictPrefix(bytes, lastWritten.get())) {
                return settled ? new Unusable("truncated (cut short mid-line)", true) : new InProgress("being written");
            }
            return new Regular(bytes, settled);
        } catch (NoSuchFileException e) {
            return new Missing();
        } catch (IOException e) {
            return new Unusable("unreadable: " + e.getMessage(), false);
        }
    }

    /**
     * Waits, up to {@code limit}, until {@code file} has not changed for {@link #SETTLE}; true when
     * it has settled (or does not exist).
     */
    static boolean awaitSettled(Path file, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                Instant changed = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
                Duration quiet = Duration.between(changed, Instant.now());
                if (quiet.compareTo(SETTLE) >= 0) {
                    return true;
                }
                long wait = Math.min(SETTLE.minus(quiet).toMillis() + 10, Math.max(0, (end - System.nanoTime()) / 1_000_000));
                if (wait <= 0) {
                    return false;
                }
                Thread.sleep(wait);
            } catch (NoSuchFileException gone) {
                return true;
            } catch (IOException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean isStrictPrefix(byte[] bytes, Optional<byte[]> of) {
        return of.filter(whole -> whole.length > bytes.length
                && Arrays.equals(bytes, 0, bytes.length, whole, 0, bytes.length)).isPresent();
    }
}

package local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way Wyren writes a file: a temp file in the same directory, flushed to disk, then an
 * atomic rename over the target. A reader sees the old or the new content, never a torn one, and
 * a process killed mid-write leaves at most a stray temp file. Renaming replaces a symlink at the
 * target instead of writing through it.
 *
 * <p>What people wrote or the team shares ({@link #write}) is flushed to disk before the rename;
 * machine-local state that is read tolerantly anyway ({@link #writeState}) is not, since a hook
 * writes it on every prompt and a flush costs milliseconds.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /** Machine-local state: atomic, not flushed to disk (a crash loses at most the newest update). */
    public static void writeState(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8), false);
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + Unique.token() + ".tmp");
        Files.write(temp, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content));
                if (durable) {
                    channel.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

package local;

import java.io.IOException;
import java.nio.ByteBuffer;
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

    /**
     * {@link Files#createDirectories} without its cost when the folder exists (a hook's usual case):
     * it then throws and catches two exceptions, slow in a hook's interpreted start-up.
     */
    public static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + Unique.token() + ".tmp");
        // Created here or not at all: a name taken by someone else is never written or deleted.
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean moved = false;
        try {
            try (channel) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }
}

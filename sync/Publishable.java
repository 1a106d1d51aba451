package sync;

import local.LogFile;
import local.WyrenPaths;
import memory.Redactor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The working copy as it may be published ("ours" in the merge of a push). Only what is safe to
 * share goes in: settled UTF-8 text, redacted, with a byte-order mark and CRLF line ends normalized
 * away. A file that may not go (binary, oversized, a secret in its name, being saved right now)
 * keeps the base's version, so holding it back is never published as a deletion.
 *
 * @param files   the publishable tree
 * @param readIds blob ids of the working files that were read into it, as they were on disk
 * @param notes   log lines: what was held back or redacted, and why
 */
record Publishable(Snapshot files, Map<String, String> readIds, List<String> notes) {

    static Publishable of(Snapshot base, Optional<byte[]> memoryOverride, WorkingFile memory,
                          Map<String, WorkingFile.Regular> broadcast, Function<byte[], String> blobId) {
        Map<String, byte[]> ours = new HashMap<>(base.files());
        Map<String, String> readIds = new HashMap<>();
        List<String> notes = new ArrayList<>();
        int[] redactions = {0};
        if (memoryOverride.isPresent()) {
            ours.put(WyrenPaths.MEMORY, publishable(memoryOverride.get(), redactions));
        } else if (memory instanceof WorkingFile.Regular regular) {
            if (regular.settled()) {
                ours.put(WyrenPaths.MEMORY, publishable(regular.bytes(), redactions));
                readIds.put(WyrenPaths.MEMORY, blobId.apply(regular.bytes()));
            } else {
                notes.add(WyrenPaths.MEMORY + " changed just now; it is published once it stops changing");
            }
        } else if (!(memory instanceof WorkingFile.Missing)) {
            notes.add(WyrenPaths.MEMORY + " is " + describe(memory) + "; not published, the branch's memory stands");
        }
        ours.keySet().removeIf(p -> p.startsWith(WyrenPaths.BROADCAST));
        int count = 0;
        for (Map.Entry<String, WorkingFile.Regular> file : broadcast.entrySet()) {
            String path = file.getKey();
            Optional<String> problem = problem(path, file.getValue(), ++count);
            if (problem.isPresent()) {
                notes.add("not publishing broadcast file " + LogFile.quote(Redactor.redact(path).text()) + ": " + problem.get());
                base.get(path).ifPresent(kept -> ours.put(path, kept));
                continue;
            }
            ours.put(path, publishable(file.getValue().bytes(), redactions));
            readIds.put(path, blobId.apply(file.getValue().bytes()));
        }
        if (redactions[0] > 0) {
            notes.add("redacted " + redactions[0] + " secret(s) from .wyren before committing");
        }
        return new Publishable(new Snapshot(ours), readIds, notes);
    }

    /** Why a broadcast file may not be published, if it may not. */
    private static Optional<String> problem(String path, WorkingFile.Regular file, int position) {
        if (!WyrenPaths.isMemoryTreePath(path)) {
            return Optional.of("not a plain path under " + WyrenPaths.BROADCAST);
        }
        if (Redactor.redact(path).count() > 0) {
            return Optional.of("its name holds something that looks like a secret");
        }
        if (position > MemoryBranch.MAX_BROADCAST_FILES) {
            return Optional.of("more than " + MemoryBranch.MAX_BROADCAST_FILES + " broadcast files");
        }
        if (file.bytes().length > MemoryBranch.MAX_BROADCAST_BLOB) {
            return Optional.of("larger than " + MemoryBranch.MAX_BROADCAST_BLOB + " bytes");
        }
        if (WorkingFile.utf8(file.bytes()).filter(t -> t.indexOf('\0') < 0).isEmpty()) {
            return Optional.of("not UTF-8 text (only text is shared, and only text can be checked for secrets)");
        }
        if (!file.settled()) {
            return Optional.of("changed just now; published once it stops changing");
        }
        return Optional.empty();
    }

    /** UTF-8 text without a byte-order mark, with LF line ends, secrets redacted. */
    private static byte[] publishable(byte[] raw, int[] redactions) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        Redactor.Result redacted = Redactor.redact(text);
        redactions[0] += redacted.count();
        return redacted.text().getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(WorkingFile file) {
        if (file instanceof WorkingFile.Unusable unusable) {
            return unusable.why();
        }
        return file instanceof WorkingFile.InProgress progress ? "being written (" + progress.why() + ")" : "unusable";
    }
}

package sync;

import local.LogFile;
import local.ShortId;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Tombstones;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * This machine's memory and its commits: the text as seen here (hand edits included), the
 * distiller's change applied to it, and the working copy committed onto the local memory tip.
 */
final class LocalMemory {

    private final Repo repo;
    private final WyrenPaths paths;
    private final MemoryBranch branch;
    private final RefRepair refRepair;
    private final WorkingCopy working;
    private final LogFile log;
    private final BooleanSupplier memoryTracked;

    LocalMemory(Repo repo, MemoryBranch branch, RefRepair refRepair, WorkingCopy working, LogFile log, BooleanSupplier memoryTracked) {
        this.repo = repo;
        this.paths = repo.paths();
        this.branch = branch;
        this.refRepair = refRepair;
        this.working = working;
        this.log = log;
        this.memoryTracked = memoryTracked;
    }

    /**
     * What a change did: the memory written to the working copy (Wyren's own write, so it needs no
     * settling), or, when that must not be written, carried to the branch only; new tombstones.
     */
    record Changed(Optional<byte[]> written, Optional<byte[]> branchOnly, Optional<byte[]> tombstones) {
        static final Changed NONE = new Changed(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Applies the distiller's change. It lands in the working copy, unless that must not be written
     * (a tracked legacy file, or a file a person is saving): then it goes to the branch only.
     */
    Changed apply(UnaryOperator<String> change) throws IOException {
        WorkingFile current = working.memory();
        boolean beingWritten = current instanceof WorkingFile.InProgress
                || current instanceof WorkingFile.Regular regular && !regular.settled();
        if (memoryTracked.getAsBoolean() || beingWritten) {
            if (beingWritten) {
                log.info(WyrenPaths.MEMORY + " is being written by someone; this change goes to the branch and their edit is merged at the next sync");
            }
            return new Changed(Optional.empty(), Optional.of(withoutForgotten(change.apply(branchMemory().orElse("")))), Optional.empty());
        }
        byte[] updated = withoutForgotten(change.apply(text().orElse("")));
        working.ensureDir();
        if (!(current instanceof WorkingFile.Regular)) {
            // The change was made to the branch's memory: record that as what the working copy
            // held, so the merge takes it as the base.
            String tipMemory = working.snapshot(refRepair.refs().local().orElseThrow()).get(WyrenPaths.MEMORY).map(branch::blobId).orElse(null);
            working.updateState(st -> {
                Map<String, String> files = new HashMap<>(st.files());
                if (tipMemory == null) {
                    files.remove(WyrenPaths.MEMORY);
                } else {
                    files.put(WyrenPaths.MEMORY, tipMemory);
                }
                return st.withMaterialized(st.materializedCommit(), files);
            });
        }
        if (current instanceof WorkingFile.Unusable unusable) {
            working.replace(paths.memory(), unusable);
        }
        working.writeFile(paths.memory(), updated);
        return new Changed(Optional.of(updated), Optional.empty(), Optional.empty());
    }

    /** A change of the tombstones ({@code wyren forget}, {@code unforget}), made to the tip's. */
    Changed forget(UnaryOperator<Tombstones> change) {
        byte[] updated = change.apply(tombstones()).render().getBytes(StandardCharsets.UTF_8);
        return new Changed(Optional.empty(), Optional.empty(), Optional.of(updated));
    }

    /** The tombstones on the local memory tip. */
    Tombstones tombstones() {
        return TreeMerge.tombstones(refRepair.refs().local().flatMap(tip -> working.snapshot(tip).get(WyrenPaths.FORGOTTEN)));
    }

    /**
     * Tombstones the tip lacks because a commit that did not carry them (a Wyren older than
     * {@code forget}) dropped them: Wyren itself never deletes the file. One git process when the
     * tip has no tombstones.
     */
    private Optional<byte[]> droppedTombstones(String tip, Snapshot tipFiles) {
        if (tipFiles.get(WyrenPaths.FORGOTTEN).isPresent() || tipFiles.refused().contains(WyrenPaths.FORGOTTEN)) {
            return Optional.empty();
        }
        Optional<byte[]> dropped = branch.beforeDeletion(tip, WyrenPaths.FORGOTTEN);
        dropped.ifPresent(d -> log.info("restored " + WyrenPaths.FORGOTTEN + ", which a commit without it had dropped"));
        return dropped;
    }

    /**
     * The distiller's memory without the entries someone forgot, before it reaches the working copy
     * (the commit's merge would take them out too, but a hook must not read them meanwhile).
     */
    private byte[] withoutForgotten(String memory) {
        Tombstones tombstones = tombstones();
        Tombstones.Filtered filtered = tombstones.filter(MemoryDocument.parse(memory));
        filtered.removed().forEach(f -> log.info("kept out a forgotten entry: " + LogFile.quote(f.bullet()) + " (" + f.section() + ")"));
        return (filtered.removed().isEmpty() ? memory : filtered.memory().render()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The memory as this machine sees it: the working copy (hand edits included) or, when that is
     * missing, unusable, half written or still tracked (legacy), the local memory commit's.
     */
    Optional<String> text() {
        if (!memoryTracked.getAsBoolean() && working.memory() instanceof WorkingFile.Regular regular) {
            return Optional.of(new String(regular.bytes(), StandardCharsets.UTF_8));
        }
        return branchMemory();
    }

    private Optional<String> branchMemory() {
        return refRepair.refs().local().flatMap(tip -> working.snapshot(tip).get(WyrenPaths.MEMORY))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Commits the working copy's changes onto the local memory tip (SPEC §3 push 1–2): a 3-way
     * merge of what was materialized (base), the working copy (ours, made publishable) and the
     * current tip (theirs). Returns the new commit, or empty when the result equals the tip.
     */
    Optional<String> commit(String message, Changed changed) throws IOException {
        Optional<byte[]> memoryOverride = changed.branchOnly();
        String tip = refRepair.refs().local().orElseThrow();
        Snapshot tipFiles = working.snapshot(tip);
        SyncState state = working.readState();
        Map<String, byte[]> baseFiles = new HashMap<>(branch.blobs(state.files()).files());
        if (memoryOverride.isPresent()) {
            // The override was made from the tip's memory: that is its base, so its removals are removals.
            tipFiles.get(WyrenPaths.MEMORY).ifPresentOrElse(m -> baseFiles.put(WyrenPaths.MEMORY, m),
                    () -> baseFiles.remove(WyrenPaths.MEMORY));
        }
        // The working copy never holds the tombstones: the tip's are the base, so only a change made
        // here (forget, unforget) changes them.
        tipFiles.get(WyrenPaths.FORGOTTEN).ifPresent(t -> baseFiles.put(WyrenPaths.FORGOTTEN, t));
        Snapshot base = new Snapshot(baseFiles);
        WorkingFile memory = memoryTracked.getAsBoolean() ? new WorkingFile.Missing() : working.memory();
        if (memory instanceof WorkingFile.Regular regular && changed.written().filter(w -> Arrays.equals(w, regular.bytes())).isPresent()) {
            memory = new WorkingFile.Regular(regular.bytes(), true);
        }
        Publishable ours = Publishable.of(base, memoryOverride, memory, working.broadcast(), branch::blobId);
        ours.notes().forEach(log::info);
        Snapshot oursFiles = ours.files();
        Optional<byte[]> tombstones = changed.tombstones().or(() -> droppedTombstones(tip, tipFiles));
        if (tombstones.isPresent()) {
            Map<String, byte[]> withTombstones = new HashMap<>(oursFiles.files());
            withTombstones.put(WyrenPaths.FORGOTTEN, tombstones.get());
            oursFiles = new Snapshot(withTombstones);
        }
        TreeMerge.Outcome merged = TreeMerge.merge(base, oursFiles, tipFiles, repo.objectFormat());
        working.report(merged);
        Optional<String> commit = Optional.empty();
        String newTip = tip;
        if (!merged.result().sameAs(tipFiles)) {
            newTip = branch.commit(repo.localRef(), tip, Optional.of(tip), merged.result(),
                    CommitNotes.withCapNotes(message, merged));
            commit = Optional.of(newTip);
            log.info("committed memory " + ShortId.of(newTip) + " on " + ShortId.of(tip));
        }
        // What we just read is now published: record it as materialized, so writing the merged
        // result below replaces it (a hand edit made after this point would still be kept).
        Map<String, String> recorded = new HashMap<>(state.files());
        recorded.putAll(ours.readIds());
        working.updateState(s -> s.withMaterialized(s.materializedCommit(), recorded));
        working.write(newTip, merged.result());
        return commit;
    }
}

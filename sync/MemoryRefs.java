package sync;

import java.util.Optional;

/**
 * Wyren's local memory ref and its view of the remote's tip, read in one call.
 *
 * @param local    {@code refs/wyren/memory}: this machine's memory, published or not
 * @param tracking the remote's memory tip as of the last fetch (Wyren's own tracking ref, else the
 *                 user's remote-tracking ref, which a fresh clone already has)
 */
public record MemoryRefs(Optional<String> local, Optional<String> tracking) {}

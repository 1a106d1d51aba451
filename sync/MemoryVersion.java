package sync;

import java.time.Instant;

/**
 * One version of the team memory as its backend keeps its history: for git, a commit of the memory
 * branch that changed {@code .wyren/memory.md}, with the identity of the machine that made it.
 *
 * @param memory the memory text; empty when it was deleted or too large to read
 */
public record MemoryVersion(String id, String author, String email, Instant time, String memory) {}

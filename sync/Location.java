package sync;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the team memory lives, in words a person can act on.
 *
 * @param root      the checkout whose {@code .wyren/} holds the working copy
 * @param branch    what the team memory is called where it travels (git: the branch)
 * @param remote    where it travels to (git: the remote's name); empty: it stays on this machine
 * @param remoteUrl the address of that place (git: the remote's URL), which links in the memory may name
 * @param localName where this machine keeps its own copy (git: Wyren's local ref)
 * @param optOut    why Wyren is switched off in this checkout by its configuration, if it is
 */
public record Location(Path root, String branch, Optional<String> remote, Optional<String> remoteUrl, String localName,
                       Optional<String> optOut) {}

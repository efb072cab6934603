/**
 * Files written safely and cleaned up after. Read {@link org.scratchgpt.io.AtomicFiles} first: a file or a folder
 * is written beside its target and renamed into place, so a reader sees the old version or the whole new one,
 * never half; {@link org.scratchgpt.io.Sha256} gives the checksums corpora and checkpoints are known by; {@link
 * org.scratchgpt.io.OutputPaths} and {@link org.scratchgpt.io.NewFolders} check that a command can write before it
 * works and remove only the folders it made; {@link org.scratchgpt.io.TemporaryFolder} goes when closed; {@link
 * org.scratchgpt.io.ProcessMemory} reads the process's memory from /proc; {@link org.scratchgpt.io.CrashPoint} is
 * where the crash-safety tests cut a write short. It sits at the bottom: any package may use it, and it uses no
 * other.
 *
 * <p>May use: nothing.
 */
package org.scratchgpt.io;

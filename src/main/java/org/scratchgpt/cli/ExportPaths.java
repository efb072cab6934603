package org.scratchgpt.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What every {@code export} command reads and writes: a checkpoint in, a new folder out, replaced only if asked. */
final class ExportPaths {
    @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "A checkpoint folder, e.g. models/baby/best; a run folder (models/baby) means its best/.")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The folder to write; must not exist.")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;
}

package org.scratchgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs' examples, run as written, so that a page and the program cannot drift apart. A code block fenced
 * {@code ```sh} in the README or a page of docs/ is something a reader pastes into a shell; this test pastes every
 * such block, in the order of the pages (the README first, then docs/README.md's table), into bash, in one fresh
 * folder that holds what a fresh clone gives (the launcher, datasets/tinyshakespeare already fetched, an empty
 * models/), and needs each block to exit 0 (run with {@code bash -e}: a pipe's status is its last command's, as
 * in the reader's shell). Blocks fenced with a bare {@code ```} are synopses and pictures of output:
 * DocsTest parses their commands but nothing runs them.
 *
 * <p>There, {@code ./scratchgpt} is the real command line on the tests' classpath with one change, the one the
 * docs state: every {@code train} and {@code finetune} gets {@link #SHORTENED} appended, so that the README's
 * 2,000-step quick start takes seconds. Nothing else about a command is changed.
 */
class DocsExamplesRunTest {

    /** Appended to every train and finetune, after the command's own settings (the last --set of a field wins). */
    static final String SHORTENED = "--set max_iters=20 --set eval_interval=10 --set eval_iters=2 --set batch_size=4"
            + " --set gradient_accumulation_steps=1";

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern DOCS_TABLE_LINK = Pattern.compile("^\\| \\[[^]]+\\]\\(([a-z0-9-]+\\.md)\\)");
    private static final long BLOCK_TIMEOUT_MINUTES = 10;

    @TempDir Path clone;

    /** One runnable block: where it is, and its text. */
    record Example(String where, String script) {}

    @Test
    void everyShellBlockOfTheDocsRunsAsWritten() throws Exception {
        Path shared = Path.of(System.getenv().getOrDefault("SCRATCHGPT_SHARED", "../shared"));
        Path shakespeare = shared.resolve("datasets/tinyshakespeare/input.txt");
        assumeTrue(Files.isRegularFile(shakespeare), "tiny-shakespeare under SCRATCHGPT_SHARED");
        List<Example> examples = examples();
        assertTrue(examples.size() >= 1, "the README's quick start at least");
        setUpClone(shakespeare);
        for (Example example : examples) {
            Result result = bash(example.script());
            assertEquals(0, result.exitCode(), example.where() + " failed:\n" + example.script() + "\n--- output:\n"
                    + result.output());
        }
    }

    /** The runnable blocks of the README and of every page its index lists, in that order. */
    static List<Example> examples() throws IOException {
        List<Example> examples = new ArrayList<>(examplesIn(Path.of("README.md")));
        for (String line : Files.readAllLines(Path.of("docs/README.md"))) {
            Matcher page = DOCS_TABLE_LINK.matcher(line);
            if (page.find()) {
                examples.addAll(examplesIn(Path.of("docs", page.group(1))));
            }
        }
        return examples;
    }

    static List<Example> examplesIn(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            int start = i;
            StringBuilder block = new StringBuilder();
            while (++i < lines.size() && !lines.get(i).startsWith("```")) {
                block.append(lines.get(i)).append('\n');
            }
            if (fence.group(1).equals("sh")) {
                examples.add(new Example(page + ":" + (start + 1), block.toString()));
            }
        }
        return examples;
    }

    /** The launcher in place of the real one (same name, same place), and the data a fetch would have given. */
    private void setUpClone(Path shakespeare) throws IOException {
        Path launcher = clone.resolve("scratchgpt");
        Files.writeString(launcher, String.join("\n",
                "#!/usr/bin/env bash",
                "# The tests' scratchgpt: the real command line on the tests' classpath, train and finetune shortened.",
                "extra=()",
                "case \"${1:-}\" in train|finetune) extra=(" + SHORTENED + ");; esac",
                "exec java -cp '" + System.getProperty("java.class.path") + "' " + cli() + " \"$@\" \"${extra[@]}\"",
                ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path corpus = Files.createDirectories(clone.resolve("datasets/tinyshakespeare")).resolve("input.txt");
        Files.copy(shakespeare, corpus, StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(clone.resolve("models"));
    }

    private static String cli() {
        return "org.scratchgpt.cli.ScratchGpt";
    }

    record Result(int exitCode, String output) {}

    private Result bash(String script) throws Exception {
        Path log = Files.createTempFile(clone.getParent(), "docs-example", ".txt");
        Process process = new ProcessBuilder("bash", "-e", "-c", script).directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(BLOCK_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        return new Result(ended ? process.exitValue() : -1, output.length() > 6000
                ? output.substring(0, 2000) + "\n...\n" + output.substring(output.length() - 4000) : output);
    }
}

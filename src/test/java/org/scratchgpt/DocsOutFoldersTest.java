package org.scratchgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A page's examples work when run in order: no command writes a folder that an earlier command on the same page
 * (or the README's quick start, which every page builds on) already made, since train, finetune, data prepare,
 * import and the exports refuse an existing folder. train without --out writes models/PRESET, the README's quick
 * start models/baby. Commands that say --overwrite, --force or --resume mean to go on in the folder, and
 * placeholders (DIR) are not folders; a synopsis counts where it names its folder plainly.
 */
class DocsOutFoldersTest {
    private static final Path README = Path.of("README.md");
    private static final Set<String> WRITE_A_NEW_FOLDER = Set.of("train", "finetune", "data prepare", "import gpt2",
            "export hf", "export djl", "lora merge");
    private static final Pattern PLAIN_FOLDER = Pattern.compile("[A-Za-z0-9_./-]+");

    @Test
    void noExampleWritesIntoAFolderAnEarlierOneMade() throws IOException {
        Map<String, String> quickStart = made(README, Files.readAllLines(README), new LinkedHashMap<>(), new ArrayList<>());
        List<String> collisions = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            for (Path page : files.filter(file -> file.toString().endsWith(".md")).sorted().toList()) {
                made(page, Files.readAllLines(page), new LinkedHashMap<>(quickStart), collisions);
            }
        }
        assertTrue(collisions.isEmpty(), "examples that write into a folder an earlier one made (give them their own"
                + " --out):\n" + String.join("\n", collisions));
        assertTrue(quickStart.containsKey("models/baby"), "the quick start's folder is found: " + quickStart);
    }

    @Test
    void aSecondTrainOfTheSamePresetCollidesAndItsOwnOutDoesNot() {
        List<String> lines = List.of("```", "./scratchgpt train --preset baby", "./scratchgpt data prepare --input a"
                + " --out datasets/p", "./scratchgpt train --preset baby --attention explicit",
                "./scratchgpt train --preset baby --out models/other", "./scratchgpt train --resume models/baby/latest",
                "./scratchgpt data prepare --input a --out datasets/q [--tokenizer T]",
                "./scratchgpt data prepare --input b --out datasets/q --tokenizer T",
                "./scratchgpt data prepare --input b --out datasets/p --force", "./scratchgpt export hf --checkpoint C"
                + " --out DIR", "./scratchgpt export djl --checkpoint C --out DIR", "```");
        List<String> collisions = new ArrayList<>();
        made(Path.of("page.md"), lines, new LinkedHashMap<>(), collisions);
        assertEquals(List.of("page.md:4: train writes models/baby, which line 2 made",
                "page.md:8: data prepare writes datasets/q, which line 7 made"), collisions);
    }

    /**
     * Adds to {@code made} (folder to the place that made it) every folder {@code page}'s commands write, and to
     * {@code collisions} each command that writes one already made; returns {@code made}.
     */
    private static Map<String, String> made(Path page, List<String> lines, Map<String, String> made,
            List<String> collisions) {
        for (DocsTest.DocumentedCommand command : DocsTest.commands(lines)) {
            Optional<String> folder = newFolder(command.words(), command.synopsis());
            if (folder.isEmpty()) {
                continue;
            }
            String earlier = made.get(folder.get());
            if (earlier != null) {
                collisions.add(page + ":" + command.line() + ": " + name(command.words()) + " writes " + folder.get()
                        + ", which " + earlier + " made");
            } else {
                made.put(folder.get(), (page.equals(README) ? README + " " : "") + "line " + command.line());
            }
        }
        return made;
    }

    /**
     * The folder a command writes and would refuse to find there already, if it is one of those commands. A synopsis
     * ({@code [--tokenizer FILE]}) counts where it names its folder plainly: that is the part a reader types as it is.
     */
    private static Optional<String> newFolder(List<String> words, boolean synopsis) {
        if (!WRITE_A_NEW_FOLDER.contains(name(words))
                || words.stream().anyMatch(w -> Set.of("--overwrite", "--force", "--resume").contains(w))) {
            return Optional.empty();
        }
        String out = valueOf(words, "--out");
        if (out == null && words.get(0).equals("train") && !synopsis) {
            String preset = valueOf(words, "--preset");
            out = "models/" + (preset == null ? "baby" : preset);
        }
        if (out == null || out.equals(out.toUpperCase(Locale.ROOT)) || !PLAIN_FOLDER.matcher(out).matches()) {
            return Optional.empty(); // none, a placeholder (DIR), or a synopsis's alternatives ([DIR|...])
        }
        return Optional.of(out.endsWith("/") ? out.substring(0, out.length() - 1) : out);
    }

    /** The command's name: one word, or two for a command with sub-commands ("data prepare"). */
    private static String name(List<String> words) {
        return WRITE_A_NEW_FOLDER.contains(words.get(0)) || words.size() < 2 ? words.get(0)
                : words.get(0) + " " + words.get(1);
    }

    private static String valueOf(List<String> words, String option) {
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).equals(option)) {
                return words.get(i + 1);
            }
            if (words.get(i).startsWith(option + "=")) {
                return words.get(i).substring(option.length() + 1);
            }
        }
        return null;
    }
}

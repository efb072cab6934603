package org.scratchgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.scratchgpt.cli.ScratchGpt;
import picocli.CommandLine;

/**
 * Keeps README.md and docs/*.md from drifting away from the code.
 *
 * <ul>
 *   <li>Every {@code ./scratchgpt ...} line in a fenced code block (after an optional {@code $ } prompt and
 *       {@code VAR=value} settings; joined with the indented lines that continue it, with or without a trailing
 *       backslash; split at {@code &&}; {@code # comments} dropped) is checked against the real command line, {@link
 *       ScratchGpt#commandLine()}. A concrete command must parse with picocli's {@code parseArgs} (nothing runs), so
 *       its sub-commands, options and option values are real; placeholder words such as FILE are fine wherever a
 *       string goes. A synopsis, a line that shows {@code [optional]} parts, {@code a|b} alternatives or {@code ...},
 *       cannot be parsed as it stands: there each sub-command must exist and every option it names must be an
 *       option of that sub-command.</li>
 *   <li>Every relative link (markdown {@code [text](target)}, and HTML {@code src}/{@code href}) points to a file
 *       that exists, and an {@code #anchor} into a markdown file to one of its headings, as GitHub names them.</li>
 *   <li>README.md stays a five-minute read (at most {@value #MAX_README_LINES} lines) and names every package under
 *       src/main/java/org/scratchgpt, found from the tree, so a new package without a line in the README fails.</li>
 * </ul>
 */
class DocsTest {
    static final int MAX_README_LINES = 260;

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final Path SOURCES = Path.of("src/main/java/org/scratchgpt");

    @Test
    void everyCommandInACodeBlockIsOneTheCommandLineAccepts() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (DocumentedCommand command : commands(page)) {
                checked++;
                String failure = check(command.words(), command.synopsis());
                if (failure != null) {
                    failures.add(page + ":" + command.line() + ": " + String.join(" ", command.words()) + "\n    "
                            + failure);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " documented commands do not match the"
                + " command line:\n" + String.join("\n", failures));
        assertTrue(checked >= 50, "the pages show " + checked + " commands: is the extraction still working?");
    }

    @Test
    void everyRelativeLinkPointsToAFileAndAnchorThatExist() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (Link link : links(page)) {
                checked++;
                String failure = check(page, link.target());
                if (failure != null) {
                    failures.add(page + ":" + link.line() + ": (" + link.target() + ") " + failure);
                }
            }
        }
        assertTrue(failures.isEmpty(), "broken links:\n" + String.join("\n", failures));
        assertTrue(checked >= 50, "the pages hold " + checked + " relative links: is the extraction still working?");
    }

    @Test
    void readmeIsShortAndNamesEveryPackage() throws IOException {
        List<String> readme = Files.readAllLines(README);
        assertTrue(readme.size() <= MAX_README_LINES, "README.md has " + readme.size() + " lines, at most "
                + MAX_README_LINES + " read in five minutes: move the detail to a page in docs/");
        String text = String.join("\n", readme);
        List<String> missing = new ArrayList<>();
        for (String name : packages()) {
            boolean named = name.isEmpty()
                    ? text.contains("`org.scratchgpt`")
                    : text.contains("`" + name + "`") || text.contains("`org.scratchgpt." + name + "`");
            if (!named) {
                missing.add(name.isEmpty() ? "org.scratchgpt" : name);
            }
        }
        assertTrue(missing.isEmpty(), "README.md's package map lacks a line for " + missing);
    }

    // The checkers must be able to fail: each kind of drift, caught.

    @Test
    void aConcreteCommandMustParse() {
        assertEquals(null, check(List.of("train", "--preset", "baby", "--set", "max_iters=20", "--out", "DIR"), false));
        assertTrue(check(List.of("train", "--no-such-option"), false).contains("--no-such-option"));
        assertFalse(check(List.of("trian", "--preset", "baby"), false) == null, "a misspelt command");
        assertFalse(check(List.of("sample", "--max-tokens", "many"), false) == null, "a value of the wrong type");
    }

    @Test
    void aSynopsisMustNameRealCommandsAndOptions() {
        assertEquals(null, check(List.of("tokenizer", "decode", "[--tokenizer", "FILE]", "[ID...", "|", "stdin]"), true));
        assertTrue(check(List.of("train", "[--preset", "baby|gpt2]", "[--no-such]"), true).contains("--no-such"));
        assertFalse(check(List.of("tokenizer", "stat", "[--top", "N]"), true) == null, "a misspelt sub-command");
    }

    @Test
    void commandsAreFoundJoinedAndSplitAsAShellWould() {
        List<DocumentedCommand> found = commands(List.of(
                "text before",
                "```",
                "./scratchgpt data fetch tinyshakespeare && ./scratchgpt sample --prompt \"ROMEO: hi\"   # two",
                "X=1 Y=\"a b\" ./scratchgpt bench train --set n_layer=12 \\",
                "    --steps 5 \\",
                "    [--checkpoint-activations]",
                "$ ./scratchgpt plan --memory 4GB",
                "docker run scratchgpt devices",
                "```",
                "./scratchgpt outside --a-block"));
        assertEquals(List.of(
                List.of("data", "fetch", "tinyshakespeare"),
                List.of("sample", "--prompt", "ROMEO: hi"),
                List.of("bench", "train", "--set", "n_layer=12", "--steps", "5", "[--checkpoint-activations]"),
                List.of("plan", "--memory", "4GB")), found.stream().map(DocumentedCommand::words).toList());
        assertEquals(List.of(false, false, true, false), found.stream().map(DocumentedCommand::synopsis).toList());
        assertEquals(4, found.get(2).line());
    }

    @Test
    void anchorsAreNamedAsGitHubNamesThem() {
        assertEquals("measured-amd-epyc-2-cores-java-17-cpu-libtorch-271",
                slug("Measured (AMD EPYC, 2 cores, Java 17, CPU libtorch 2.7.1)"));
        assertEquals("use-a-checkpoint-in-another-djl-application", slug("Use a checkpoint in another DJL application"));
        assertEquals("the-packages", slug("The `packages`"));
        assertEquals(Set.of("a", "a-1", "b"), anchors(List.of("# A", "## A", "```", "# not a heading", "```", "### B")));
    }

    // ---- the pages

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(README);
        try (Stream<Path> files = Files.list(DOCS)) {
            files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The package names under org.scratchgpt, dotted and relative to it ("" for org.scratchgpt itself). */
    private static List<String> packages() throws IOException {
        try (Stream<Path> folders = Files.walk(SOURCES)) {
            return folders.filter(Files::isDirectory).filter(DocsTest::holdsJava).sorted()
                    .map(folder -> SOURCES.relativize(folder).toString().replace('/', '.').replace('\\', '.'))
                    .toList();
        }
    }

    private static boolean holdsJava(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- commands

    /** A command shown in a code block: its words after {@code ./scratchgpt}, where it starts, whether a synopsis. */
    record DocumentedCommand(int line, List<String> words, boolean synopsis) {}

    private static final Pattern COMMAND_START = Pattern.compile(
            "^\\s*(\\$\\s+)?([A-Za-z_][A-Za-z0-9_]*=(\"[^\"]*\"|'[^']*'|\\S*)\\s+)*\\./scratchgpt(\\s|$)");
    private static final Pattern CONTINUATION = Pattern.compile("^\\s+[\\[-]");
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

    private static List<DocumentedCommand> commands(Path page) throws IOException {
        return commands(Files.readAllLines(page));
    }

    static List<DocumentedCommand> commands(List<String> lines) {
        List<DocumentedCommand> commands = new ArrayList<>();
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock || !COMMAND_START.matcher(line).find()) {
                continue;
            }
            int start = i;
            Words words = new Words();
            boolean continues = words.add(line);
            while (i + 1 < lines.size() && !lines.get(i + 1).strip().startsWith("```")
                    && (continues || CONTINUATION.matcher(lines.get(i + 1)).find())) {
                continues = words.add(lines.get(++i));
            }
            for (List<String> segment : words.segments()) {
                int first = 0;
                if (first < segment.size() && segment.get(first).equals("$")) {
                    first++;
                }
                while (first < segment.size() && ENVIRONMENT.matcher(segment.get(first)).matches()) {
                    first++;
                }
                if (first < segment.size() && segment.get(first).equals("./scratchgpt")) {
                    commands.add(new DocumentedCommand(start + 1, segment.subList(first + 1, segment.size()),
                            words.synopsis));
                }
            }
        }
        return commands;
    }

    /** Shell words of one or more physical lines: quotes removed, comments dropped, split at {@code &&} and pipes. */
    private static final class Words {
        private final List<List<String>> segments = new ArrayList<>(List.of(new ArrayList<>()));
        private boolean synopsis;

        /** Adds one physical line; says whether it ends with a backslash, continuing on the next. */
        boolean add(String line) {
            StringBuilder word = null;
            boolean continues = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (Character.isWhitespace(c)) {
                    word = flush(word);
                } else if (c == '#' && word == null) {
                    break;                                                  // a comment, to the end of the line
                } else if (c == '\\' && i == line.stripTrailing().length() - 1) {
                    continues = true;
                    break;
                } else if (c == '"' || c == '\'') {
                    int end = line.indexOf(c, i + 1);
                    if (end < 0) {
                        end = line.length();
                    }
                    word = word == null ? new StringBuilder() : word;
                    word.append(line, i + 1, end);
                    i = end;
                } else if (c == '&' && word == null && line.startsWith("&&", i)) {
                    segments.add(new ArrayList<>());
                    i++;
                } else if (c == '|' && word == null && (i + 1 == line.length()
                        || Character.isWhitespace(line.charAt(i + 1)))) {
                    segments.add(new ArrayList<>());                        // a pipe: the next command reads this one
                    if (i + 1 < line.length()) {
                        i++;
                    }
                } else {
                    if (c == '[' || c == ']' || c == '|' || line.startsWith("...", i)) {
                        synopsis = true;
                    }
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            flush(word);
            return continues;
        }

        private StringBuilder flush(StringBuilder word) {
            if (word != null) {
                segments.get(segments.size() - 1).add(word.toString());
            }
            return null;
        }

        List<List<String>> segments() {
            return segments;
        }
    }

    /** The real command line, built once: picocli resets every option before each parse. */
    private static final CommandLine ROOT = ScratchGpt.commandLine();

    /** Null when {@code ./scratchgpt <words>} is what the command line accepts; otherwise what is wrong. */
    static String check(List<String> words, boolean synopsis) {
        CommandLine root = ROOT;
        if (!synopsis) {
            try {
                root.parseArgs(words.toArray(String[]::new));
                return null;
            } catch (CommandLine.ParameterException e) {
                return e.getMessage();
            }
        }
        CommandLine command = root;
        int i = 0;
        while (i < words.size() && command.getSubcommands().containsKey(words.get(i))) {
            command = command.getSubcommands().get(words.get(i++));
        }
        String path = String.join(" ", words.subList(0, i));
        if (i < words.size() && !words.get(i).startsWith("-") && !words.get(i).startsWith("[")
                && command.getCommandSpec().positionalParameters().isEmpty()) {
            return "'" + words.get(i) + "' is not a sub-command of 'scratchgpt " + path + "'; it has "
                    + command.getSubcommands().keySet();
        }
        for (String word : words.subList(i, words.size())) {
            for (String part : word.split("\\|")) {
                String option = part.replace("[", "").replace("]", "").replace("...", "").replace("(", "")
                        .replace(")", "");
                int equals = option.indexOf('=');
                option = equals < 0 ? option : option.substring(0, equals);
                if (option.startsWith("-") && option.length() > 1
                        && command.getCommandSpec().findOption(option) == null) {
                    return "'scratchgpt " + path + "' has no option " + option;
                }
            }
        }
        return null;
    }

    // ---- links

    record Link(int line, String target) {}

    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s]+)(\\s+\"[^\"]*\")?\\)");
    private static final Pattern HTML_LINK = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /** The relative links of a page, outside code blocks and code spans. */
    private static List<Link> links(Path page) throws IOException {
        List<Link> links = new ArrayList<>();
        List<String> lines = Files.readAllLines(page);
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock) {
                continue;
            }
            String prose = line.replaceAll("`[^`]*`", "");
            for (Pattern pattern : List.of(MARKDOWN_LINK, HTML_LINK)) {
                Matcher link = pattern.matcher(prose);
                while (link.find()) {
                    if (!SCHEME.matcher(link.group(1)).find()) {
                        links.add(new Link(i + 1, link.group(1)));
                    }
                }
            }
        }
        return links;
    }

    /** Null when {@code target}, relative to {@code page}, exists (with its anchor); otherwise what is wrong. */
    private static String check(Path page, String target) throws IOException {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? "" : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file: " + resolved;
        }
        if (!anchor.isEmpty()) {
            if (!resolved.toString().endsWith(".md")) {
                return "an anchor into a file that is not markdown";
            }
            Set<String> anchors = anchors(Files.readAllLines(resolved));
            if (!anchors.contains(anchor)) {
                return "no heading '#" + anchor + "' in " + resolved + "; it has " + anchors;
            }
        }
        return null;
    }

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    /** The anchors GitHub gives a markdown file's headings; a repeated one gets -1, -2... */
    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inBlock = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (!inBlock && heading.matches()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{Mn} _-]", "").replace(' ', '-');
    }
}

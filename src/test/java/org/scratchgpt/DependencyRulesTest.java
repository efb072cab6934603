package org.scratchgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules between ScratchGPT's packages, checked on the source text of src/main/java (no compiled
 * classes, no library): every {@code import org.scratchgpt....} line, static ones included, and every name written
 * out in code ({@code org.scratchgpt.tokens.TokenFile.write(...)}) counts as a use of that package; comments and
 * string literals do not. A sub-package ({@code curation.read}) is a package of its own. The rules:
 *
 * <ul>
 *   <li>every package has a {@code package-info.java} whose javadoc ends with its "May use" line, {@code <p>May use:
 *       a, b.}: the packages it uses, relative to {@code org.scratchgpt}, in alphabetical order, or {@code nothing};
 *       the root package {@code org.scratchgpt} (UserError) is usable by all and never listed. The line must match
 *       the code both ways: a use it does not list fails, and so does a package it lists that no file uses;
 *   <li>the root package uses no other package;
 *   <li>nothing uses cli; only cli uses bench;
 *   <li>the lower packages (tokenizer, model, optim, tokens, checkpoint, io, config, torchscript) use none of
 *       training, lora, chat, curation (and its sub-packages), bench, hf, djl, cli;
 *   <li>no cycle between packages, direct or through others.
 * </ul>
 *
 * A failure lists every violation, one a line, as {@code path/File.java: import org.scratchgpt.x.Y (rule)}.
 */
class DependencyRulesTest {
    private static final Path SOURCES = Path.of("src", "main", "java");

    /**
     * Package uses that the cycle check leaves out: none. (curation's parent and sub-packages once used each other;
     * the pipeline that assembles the stages now lives in its own sub-package, curation.prepare.) An entry here
     * must close a known cycle, so the list can only shrink.
     */
    static final Set<String> KNOWN_CYCLE_EDGES = Set.of();

    @Test
    void theCodeKeepsTheDependencyRules() {
        Map<String, String> files = readSources(SOURCES);
        DependencyRules rules = new DependencyRules(files, KNOWN_CYCLE_EDGES);
        List<String> violations = rules.violations();
        assertTrue(violations.isEmpty(),
                () -> violations.size() + " dependency rule violation(s):\n" + String.join("\n", violations));
        // Not vacuously green: the scan saw the packages and their uses.
        assertTrue(rules.packages().size() >= 30, "packages found: " + rules.packages());
        assertTrue(rules.packages().containsAll(List.of("", "model", "training", "cli", "curation.read")));
        assertTrue(rules.uses().size() > 300, "uses found: " + rules.uses().size());
    }

    // The checker on small made-up trees, so that a green run above means something.

    @Test
    void aCycleThroughAThirdPackageIsReportedWithOneUsePerEdge() {
        Map<String, String> files = tree(
                info("a", "b"), info("b", "c"), info("c", "a"),
                file("a/A.java", "package org.scratchgpt.a;\nimport org.scratchgpt.b.B;\nclass A { B b; }\n"),
                file("b/B.java", "package org.scratchgpt.b;\nimport static org.scratchgpt.c.C.go;\nclass B {}\n"),
                file("c/C.java", "package org.scratchgpt.c;\nclass C { Object a = new org.scratchgpt.a.A(); }\n"));
        assertEquals(List.of(
                "src/main/java/org/scratchgpt/a/A.java: import org.scratchgpt.b.B (cycle a -> b -> c -> a)",
                "src/main/java/org/scratchgpt/b/B.java: import static org.scratchgpt.c.C.go (cycle a -> b -> c -> a)",
                "src/main/java/org/scratchgpt/c/C.java: org.scratchgpt.a.A, written inline (cycle a -> b -> c -> a)"),
                new DependencyRules(files, Set.of()).violations());
    }

    @Test
    void aTwoPackageCycleIsReportedOnceAndASecondCycleToo() {
        Map<String, String> files = tree(
                info("a", "b"), info("b", "a, c"), info("c", "b"),
                file("a/A.java", "package org.scratchgpt.a;\nimport org.scratchgpt.b.B;\n"),
                file("b/B.java", "package org.scratchgpt.b;\nimport org.scratchgpt.a.A;\nimport org.scratchgpt.c.*;\n"),
                file("c/C.java", "package org.scratchgpt.c;\nimport org.scratchgpt.b.B;\n"));
        assertEquals(List.of(
                "src/main/java/org/scratchgpt/a/A.java: import org.scratchgpt.b.B (cycle a -> b -> a)",
                "src/main/java/org/scratchgpt/b/B.java: import org.scratchgpt.a.A (cycle a -> b -> a)",
                "src/main/java/org/scratchgpt/b/B.java: import org.scratchgpt.c.* (cycle b -> c -> b)",
                "src/main/java/org/scratchgpt/c/C.java: import org.scratchgpt.b.B (cycle b -> c -> b)"),
                new DependencyRules(files, Set.of()).violations());
    }

    @Test
    void forbiddenUsesAreReportedByFileAndImport() {
        Map<String, String> files = tree(
                info("", "nothing"), info("cli", "bench, model"), info("bench", "cli, model"),
                info("model", "training"), info("training", "config, model"), info("config", "nothing"),
                info("hf", "bench"), info("io", "curation.read"),
                info("curation.read", "nothing"),
                file("UserError.java", "package org.scratchgpt;\nimport org.scratchgpt.config.Settings;\n"),
                file("cli/Main.java", "package org.scratchgpt.cli;\nimport org.scratchgpt.bench.Bench;\n"
                        + "import org.scratchgpt.model.Gpt;\n"),
                file("bench/Bench.java", "package org.scratchgpt.bench;\nimport org.scratchgpt.cli.Main;\n"
                        + "import org.scratchgpt.model.Gpt;\n"),
                file("model/Gpt.java", "package org.scratchgpt.model;\nimport org.scratchgpt.UserError;\n"
                        + "class Gpt { void f() { org.scratchgpt.training.Loop.run(); } }\n"),
                file("training/Loop.java", "package org.scratchgpt.training;\nimport org.scratchgpt.config.Settings;\n"
                        + "import org.scratchgpt.model.Gpt;\n"),
                file("hf/Hf.java", "package org.scratchgpt.hf;\nimport org.scratchgpt.bench.Bench;\n"),
                file("io/Io.java", "package org.scratchgpt.io;\nimport org.scratchgpt.curation.read.Reader;\n"),
                file("config/Settings.java", "package org.scratchgpt.config;\n"),
                file("curation/read/Reader.java", "package org.scratchgpt.curation.read;\n"
                        + "import org.scratchgpt.model.Gpt;\n"));
        assertEquals(List.of(
                "src/main/java/org/scratchgpt/UserError.java: import org.scratchgpt.config.Settings"
                        + " (not in org.scratchgpt's \"May use\" line)",
                "src/main/java/org/scratchgpt/UserError.java: import org.scratchgpt.config.Settings"
                        + " (the root package org.scratchgpt is usable by all: it may use no other package)",
                "src/main/java/org/scratchgpt/bench/Bench.java: import org.scratchgpt.cli.Main"
                        + " (nothing may use cli: it is the top)",
                "src/main/java/org/scratchgpt/curation/read/Reader.java: import org.scratchgpt.model.Gpt"
                        + " (not in curation.read's \"May use\" line)",
                "src/main/java/org/scratchgpt/hf/Hf.java: import org.scratchgpt.bench.Bench"
                        + " (only cli may use bench)",
                "src/main/java/org/scratchgpt/io/Io.java: import org.scratchgpt.curation.read.Reader"
                        + " (io is a lower package: it may not use curation.read)",
                "src/main/java/org/scratchgpt/model/Gpt.java: org.scratchgpt.training.Loop, written inline"
                        + " (model is a lower package: it may not use training)",
                "src/main/java/org/scratchgpt/bench/Bench.java: import org.scratchgpt.cli.Main"
                        + " (cycle bench -> cli -> bench)",
                "src/main/java/org/scratchgpt/cli/Main.java: import org.scratchgpt.bench.Bench"
                        + " (cycle bench -> cli -> bench)",
                "src/main/java/org/scratchgpt/model/Gpt.java: org.scratchgpt.training.Loop, written inline"
                        + " (cycle model -> training -> model)",
                "src/main/java/org/scratchgpt/training/Loop.java: import org.scratchgpt.model.Gpt"
                        + " (cycle model -> training -> model)"),
                new DependencyRules(files, Set.of()).violations());
    }

    @Test
    void everyPackageNeedsAPackageInfoWhoseMayUseLineMatchesTheCode() {
        Map<String, String> files = tree(
                file("a/A.java", "package org.scratchgpt.a;\nimport org.scratchgpt.b.B;\n"),
                file("b/package-info.java", "/**\n * B.\n */\npackage org.scratchgpt.b;\n"),
                file("b/B.java", "package org.scratchgpt.b;\nimport org.scratchgpt.c.C;\nimport org.scratchgpt.d.D;\n"),
                info("c", "d, b"),
                file("c/C.java", "package org.scratchgpt.c;\nimport org.scratchgpt.d.D;\nimport org.scratchgpt.e.E;\n"),
                info("d", "c, x"),
                file("d/D.java", "package org.scratchgpt.d;\n"),
                file("e/package-info.java", "/**\n * E.\n *\n * <p>May use: nothing\n */\npackage org.scratchgpt.e;\n"),
                file("f/package-info.java", "/**\n * <p>May use: nothing.\n * F.\n */\npackage org.scratchgpt.f;\n"));
        assertEquals(List.of(
                "src/main/java/org/scratchgpt/a/package-info.java: missing (every package needs one, its javadoc"
                        + " ending with the line \"<p>May use: a, b.\" or \"<p>May use: nothing.\")",
                "src/main/java/org/scratchgpt/b/package-info.java: no \"May use\" line (its javadoc must end with"
                        + " \"<p>May use: a, b.\" or \"<p>May use: nothing.\")",
                "src/main/java/org/scratchgpt/c/package-info.java: \"May use\" line not in alphabetical order:"
                        + " d, b",
                "src/main/java/org/scratchgpt/c/package-info.java: \"May use\" line lists b, which no file of c"
                        + " uses (the line must match the code)",
                "src/main/java/org/scratchgpt/d/package-info.java: \"May use\" line lists c, which no file of d"
                        + " uses (the line must match the code)",
                "src/main/java/org/scratchgpt/d/package-info.java: \"May use\" line lists x, which is not a"
                        + " package",
                "src/main/java/org/scratchgpt/e/package-info.java: \"May use\" line not of the form"
                        + " \"<p>May use: a, b.\" or \"<p>May use: nothing.\": * <p>May use: nothing",
                "src/main/java/org/scratchgpt/f/package-info.java: \"May use\" line is not the last line of the"
                        + " javadoc",
                "src/main/java/org/scratchgpt/c/C.java: import org.scratchgpt.e.E (not in c's \"May use\" line)"),
                new DependencyRules(files, Set.of()).violations().stream()
                        .filter(line -> !line.contains("(cycle ")).toList());
    }

    @Test
    void commentsAndStringsAreNotUsesButStaticWildcardAndInlineNamesAre() {
        Map<String, String> files = tree(
                info("a", "b, c, d"), info("b", "nothing"), info("c", "nothing"), info("d", "nothing"),
                info("e", "nothing"),
                file("a/A.java", """
                        package org.scratchgpt.a;

                        import static org.scratchgpt.b.B.*;
                        import org.scratchgpt.c.*;
                        // org.scratchgpt.e.E in a line comment
                        /** {@link org.scratchgpt.e.E} in javadoc, with a /* inside */
                        class A {
                            String s = "org.scratchgpt.e.E in a string, with a \\" quote";
                            char q = '"';
                            String t = \"""
                                org.scratchgpt.e.E in a text block
                                \""";
                            Object d = org.scratchgpt.d.D.make();
                        }
                        """),
                file("b/B.java", "package org.scratchgpt.b;\n"), file("c/C.java", "package org.scratchgpt.c;\n"),
                file("d/D.java", "package org.scratchgpt.d;\n"), file("e/E.java", "package org.scratchgpt.e;\n"));
        DependencyRules rules = new DependencyRules(files, Set.of());
        assertEquals(List.of(), rules.violations());
        assertEquals(List.of("import static org.scratchgpt.b.B.*", "import org.scratchgpt.c.*",
                "org.scratchgpt.d.D, written inline"), rules.uses().stream().map(DependencyRules.Use::text).toList());
    }

    @Test
    void aKnownCycleEdgeIsLeftOutOfTheCycleCheckButMustStillCloseACycle() {
        Map<String, String> files = tree(
                info("p", "p.q"), info("p.q", "p"), info("r", "nothing"),
                file("p/P.java", "package org.scratchgpt.p;\nimport org.scratchgpt.p.q.Q;\n"),
                file("p/q/Q.java", "package org.scratchgpt.p.q;\nimport org.scratchgpt.p.P;\n"),
                file("r/R.java", "package org.scratchgpt.r;\n"));
        assertEquals(List.of(), new DependencyRules(files, Set.of("p -> p.q")).violations());
        assertEquals(List.of(
                "src/test/java/org/scratchgpt/DependencyRulesTest.java: KNOWN_CYCLE_EDGES lists p -> r, which is no"
                        + " longer part of a cycle (remove it)"),
                new DependencyRules(files, Set.of("p -> p.q", "p -> r")).violations());
    }

    // Reading the tree, and building made-up ones.

    private static Map<String, String> readSources(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            Map<String, String> files = new TreeMap<>();
            for (Path path : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
                files.put(path.toString().replace('\\', '/'), Files.readString(path, StandardCharsets.UTF_8));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SafeVarargs
    private static Map<String, String> tree(Map.Entry<String, String>... entries) {
        Map<String, String> files = new TreeMap<>();
        for (Map.Entry<String, String> entry : entries) {
            files.put(entry.getKey(), entry.getValue());
        }
        return files;
    }

    private static Map.Entry<String, String> file(String pathUnderScratchgpt, String source) {
        return Map.entry("src/main/java/org/scratchgpt/" + pathUnderScratchgpt, source);
    }

    private static Map.Entry<String, String> info(String packageName, String mayUse) {
        String dir = packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
        String declared = packageName.isEmpty() ? "org.scratchgpt" : "org.scratchgpt." + packageName;
        return file(dir + "package-info.java",
                "/**\n * What lives here.\n *\n * <p>May use: " + mayUse + ".\n */\npackage " + declared + ";\n");
    }

    /**
     * The checker, on a map from path (with {@code /}, containing {@code org/scratchgpt/}) to source text. A file's
     * package is its folder under {@code org/scratchgpt/}: {@code ""} for the root package, {@code curation.read}
     * for {@code org/scratchgpt/curation/read/}.
     */
    static final class DependencyRules {
        static final String ROOT = "";
        static final List<String> LOWER =
                List.of("tokenizer", "model", "optim", "tokens", "checkpoint", "io", "config", "torchscript");
        static final List<String> UPPER = List.of("training", "lora", "chat", "curation", "bench", "hf", "djl", "cli");
        static final String FORM = "\"<p>May use: a, b.\" or \"<p>May use: nothing.\"";
        static final String SELF = "src/test/java/org/scratchgpt/DependencyRulesTest.java";

        private static final String MARK = "org/scratchgpt/";
        private static final Pattern IMPORT =
                Pattern.compile("\\bimport\\s+(static\\s+)?(org\\s*\\.\\s*scratchgpt\\s*\\.[\\w$.\\s]*?(?:\\*)?)\\s*;");
        private static final Pattern INLINE =
                Pattern.compile("(?<![\\w$.])org\\.scratchgpt(?:\\.[a-z_][\\w$]*)*\\.[A-Z][\\w$]*");
        private static final Pattern MAY_USE_START = Pattern.compile("\\s*\\*?\\s*(<p>)?\\s*May use\\b");
        private static final Pattern MAY_USE_LINE = Pattern.compile("^ \\* <p>May use: ([a-z0-9_., ]+)\\.$");
        private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

        /** One use of another package: the file, its package, the package used, and the use as written. */
        record Use(String file, String from, String to, String text) {}

        private final Map<String, String> files;
        private final Set<String> knownCycleEdges;
        private final Map<String, String> folderOf = new TreeMap<>();
        private final List<Use> uses = new ArrayList<>();
        private final List<String> violations = new ArrayList<>();

        DependencyRules(Map<String, String> files, Set<String> knownCycleEdges) {
            this.files = new TreeMap<>(files);
            this.knownCycleEdges = knownCycleEdges;
            for (String path : this.files.keySet()) {
                int mark = path.indexOf(MARK);
                if (mark < 0 || !path.endsWith(".java")) {
                    continue;
                }
                String folder = path.substring(0, path.lastIndexOf('/') + 1);
                folderOf.putIfAbsent(packageOf(path), folder);
            }
            for (Map.Entry<String, String> file : this.files.entrySet()) {
                if (file.getKey().contains(MARK) && file.getKey().endsWith(".java")) {
                    findUses(file.getKey(), file.getValue());
                }
            }
            Map<String, Set<String>> mayUse = checkPackageInfos();
            checkUses(mayUse);
            checkCycles();
        }

        Set<String> packages() {
            return folderOf.keySet();
        }

        List<Use> uses() {
            return uses;
        }

        List<String> violations() {
            return violations;
        }

        private static String packageOf(String path) {
            String inside = path.substring(path.indexOf(MARK) + MARK.length());
            int slash = inside.lastIndexOf('/');
            return slash < 0 ? ROOT : inside.substring(0, slash).replace('/', '.');
        }

        private static String shown(String pkg) {
            return pkg.equals(ROOT) ? "org.scratchgpt" : pkg;
        }

        /** The package a qualified name {@code org.scratchgpt.a.b.Type...} or {@code org.scratchgpt.a.*} is in. */
        private static String packageOfName(String name) {
            String[] parts = name.split("\\.");
            List<String> pkg = new ArrayList<>();
            for (int i = 2; i < parts.length; i++) {
                String part = parts[i];
                if (part.equals("*") || !Character.isLowerCase(part.charAt(0)) && part.charAt(0) != '_') {
                    break;
                }
                pkg.add(part);
            }
            return String.join(".", pkg);
        }

        private void findUses(String path, String source) {
            String from = packageOf(path);
            String code = codeOnly(source);
            List<int[]> importSpans = new ArrayList<>();
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                importSpans.add(new int[] {imports.start(), imports.end()});
                String name = imports.group(2).replaceAll("\\s+", "");
                String kind = imports.group(1) == null ? "import " : "import static ";
                add(path, from, packageOfName(name), kind + name);
            }
            Matcher inline = INLINE.matcher(code);
            while (inline.find()) {
                int at = inline.start();
                if (importSpans.stream().anyMatch(span -> span[0] <= at && at < span[1])) {
                    continue;
                }
                add(path, from, packageOfName(inline.group()), inline.group() + ", written inline");
            }
        }

        private void add(String path, String from, String to, String text) {
            if (!to.equals(from)) {
                uses.add(new Use(path, from, to, text));
            }
        }

        /** The source with comments and the contents of string, text block and char literals blanked out. */
        static String codeOnly(String source) {
            StringBuilder out = new StringBuilder(source.length());
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    int end = source.indexOf('\n', i);
                    i = blank(source, out, i, end < 0 ? n : end);
                } else if (source.startsWith("/*", i)) {
                    int end = source.indexOf("*/", i + 2);
                    i = blank(source, out, i, end < 0 ? n : end + 2);
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = i + 3;
                    while (end < n && !source.startsWith("\"\"\"", end)) {
                        end += source.charAt(end) == '\\' ? 2 : 1;
                    }
                    i = blank(source, out, i, Math.min(n, end + 3));
                } else if (c == '"' || c == '\'') {
                    int end = i + 1;
                    while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                        end += source.charAt(end) == '\\' ? 2 : 1;
                    }
                    i = blank(source, out, i, Math.min(n, end + 1));
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }

        private static int blank(String source, StringBuilder out, int from, int to) {
            for (int i = from; i < to; i++) {
                out.append(source.charAt(i) == '\n' ? '\n' : ' ');
            }
            return to;
        }

        /** Each package's "May use" set, for the packages whose line is present and well formed. */
        private Map<String, Set<String>> checkPackageInfos() {
            Map<String, Set<String>> mayUse = new HashMap<>();
            Map<String, Set<String>> used = new HashMap<>();
            for (Use use : uses) {
                if (!use.to().equals(ROOT)) {
                    used.computeIfAbsent(use.from(), k -> new TreeSet<>()).add(use.to());
                }
            }
            for (Map.Entry<String, String> entry : folderOf.entrySet()) {
                String pkg = entry.getKey();
                String path = entry.getValue() + "package-info.java";
                String source = files.get(path);
                if (source == null) {
                    violations.add(path + ": missing (every package needs one, its javadoc ending with the line "
                            + FORM + ")");
                    continue;
                }
                Set<String> listed = parseMayUse(path, pkg, source);
                if (listed == null) {
                    continue;
                }
                mayUse.put(pkg, listed);
                for (String name : listed) {
                    if (!folderOf.containsKey(name)) {
                        violations.add(path + ": \"May use\" line lists " + name + ", which is not a package");
                    } else if (!used.getOrDefault(pkg, Set.of()).contains(name)) {
                        violations.add(path + ": \"May use\" line lists " + name + ", which no file of "
                                + shown(pkg) + " uses (the line must match the code)");
                    }
                }
            }
            return mayUse;
        }

        private Set<String> parseMayUse(String path, String pkg, String source) {
            List<String> lines = source.lines().toList();
            List<Integer> found = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (MAY_USE_START.matcher(lines.get(i)).lookingAt()) {
                    found.add(i);
                }
            }
            if (found.isEmpty()) {
                violations.add(path + ": no \"May use\" line (its javadoc must end with " + FORM + ")");
                return null;
            }
            if (found.size() > 1) {
                violations.add(path + ": more than one line starts with \"May use\"");
                return null;
            }
            int at = found.get(0);
            Matcher line = MAY_USE_LINE.matcher(lines.get(at));
            if (!line.matches()) {
                violations.add(path + ": \"May use\" line not of the form " + FORM + ": " + lines.get(at).strip());
                return null;
            }
            if (at + 1 >= lines.size() || !lines.get(at + 1).equals(" */")) {
                violations.add(path + ": \"May use\" line is not the last line of the javadoc");
                return null;
            }
            String body = line.group(1);
            if (body.equals("nothing")) {
                return Set.of();
            }
            List<String> names = List.of(body.split(", ", -1));
            Set<String> listed = new LinkedHashSet<>();
            boolean wellFormed = true;
            for (String name : names) {
                if (!PACKAGE_NAME.matcher(name).matches() || name.equals("nothing")) {
                    violations.add(path + ": \"May use\" line has \"" + name + "\", not a package name relative to"
                            + " org.scratchgpt (" + FORM + ")");
                    wellFormed = false;
                } else if (name.equals(pkg)) {
                    violations.add(path + ": \"May use\" line lists its own package " + name);
                    wellFormed = false;
                } else if (!listed.add(name)) {
                    violations.add(path + ": \"May use\" line lists " + name + " twice");
                    wellFormed = false;
                }
            }
            if (wellFormed && !names.equals(names.stream().sorted().toList())) {
                violations.add(path + ": \"May use\" line not in alphabetical order: " + body);
            }
            return wellFormed ? listed : null;
        }

        private void checkUses(Map<String, Set<String>> mayUse) {
            for (Use use : uses) {
                String from = use.from();
                String to = use.to();
                String at = use.file() + ": " + use.text();
                if (!to.equals(ROOT) && mayUse.containsKey(from) && !mayUse.get(from).contains(to)) {
                    violations.add(at + " (not in " + shown(from) + "'s \"May use\" line)");
                }
                if (from.equals(ROOT)) {
                    violations.add(at + " (the root package org.scratchgpt is usable by all: it may use no other"
                            + " package)");
                }
                if (in(to, "cli")) {
                    violations.add(at + " (nothing may use cli: it is the top)");
                }
                if (in(to, "bench") && !in(from, "cli")) {
                    violations.add(at + " (only cli may use bench)");
                }
                if (LOWER.stream().anyMatch(lower -> in(from, lower)) && UPPER.stream().anyMatch(up -> in(to, up))) {
                    violations.add(at + " (" + from + " is a lower package: it may not use " + to + ")");
                }
            }
        }

        /** Whether pkg is top or one of its sub-packages. */
        private static boolean in(String pkg, String top) {
            return pkg.equals(top) || pkg.startsWith(top + ".");
        }

        private void checkCycles() {
            Map<String, Set<String>> all = new TreeMap<>();
            Map<String, Use> example = new LinkedHashMap<>();
            for (Use use : uses) {
                all.computeIfAbsent(use.from(), k -> new TreeSet<>()).add(use.to());
                example.putIfAbsent(edge(use.from(), use.to()), use);
            }
            Map<String, Set<String>> checked = new TreeMap<>();
            all.forEach((from, tos) -> checked.put(from, tos.stream()
                    .filter(to -> !knownCycleEdges.contains(edge(from, to)))
                    .collect(Collectors.toCollection(TreeSet::new))));

            Map<String, Integer> componentOfAll = components(all);
            for (String known : new TreeSet<>(knownCycleEdges)) {
                String[] ends = known.split(" -> ");
                boolean closesACycle = ends.length == 2 && all.getOrDefault(ends[0], Set.of()).contains(ends[1])
                        && componentOfAll.get(ends[0]).equals(componentOfAll.get(ends[1]));
                if (!closesACycle) {
                    violations.add(SELF + ": KNOWN_CYCLE_EDGES lists " + known
                            + ", which is no longer part of a cycle (remove it)");
                }
            }

            Map<String, Integer> component = components(checked);
            Map<String, List<String>> cycles = new TreeMap<>();
            checked.forEach((from, tos) -> {
                for (String to : tos) {
                    if (component.get(from).equals(component.get(to))) {
                        List<String> cycle = new ArrayList<>(List.of(from));
                        cycle.addAll(shortestPath(checked, to, from));
                        List<String> canonical = canonical(cycle);
                        cycles.putIfAbsent(String.join(" -> ", canonical), canonical);
                    }
                }
            });
            cycles.forEach((shownCycle, cycle) -> {
                for (int i = 0; i + 1 < cycle.size(); i++) {
                    Use use = example.get(edge(cycle.get(i), cycle.get(i + 1)));
                    violations.add(use.file() + ": " + use.text() + " (cycle " + shownCycleNames(cycle) + ")");
                }
            });
        }

        private static String shownCycleNames(List<String> cycle) {
            return cycle.stream().map(DependencyRules::shown).collect(Collectors.joining(" -> "));
        }

        private static String edge(String from, String to) {
            return from + " -> " + to;
        }

        /** The cycle a -> ... -> a turned to start at its alphabetically first package. */
        private static List<String> canonical(List<String> cycle) {
            List<String> ring = cycle.subList(0, cycle.size() - 1);
            int start = ring.indexOf(ring.stream().sorted().findFirst().orElseThrow());
            List<String> turned = new ArrayList<>();
            for (int i = 0; i <= ring.size(); i++) {
                turned.add(ring.get((start + i) % ring.size()));
            }
            return turned;
        }

        /** The packages on a shortest path from start to goal, both included (breadth first, in name order). */
        private static List<String> shortestPath(Map<String, Set<String>> graph, String start, String goal) {
            Map<String, String> cameFrom = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            cameFrom.put(start, start);
            while (!queue.isEmpty()) {
                String at = queue.removeFirst();
                if (at.equals(goal)) {
                    break;
                }
                for (String next : graph.getOrDefault(at, Set.of())) {
                    if (cameFrom.putIfAbsent(next, at) == null) {
                        queue.addLast(next);
                    }
                }
            }
            List<String> path = new ArrayList<>();
            for (String at = goal; ; at = cameFrom.get(at)) {
                path.add(0, at);
                if (at.equals(start)) {
                    return path;
                }
            }
        }

        /** Strongly connected components (Tarjan): packages with the same number reach each other. */
        private static Map<String, Integer> components(Map<String, Set<String>> graph) {
            Set<String> nodes = new TreeSet<>(graph.keySet());
            graph.values().forEach(nodes::addAll);
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            Set<String> onStack = new HashSet<>();
            Map<String, Integer> component = new HashMap<>();
            for (String node : nodes) {
                if (!index.containsKey(node)) {
                    strongConnect(node, graph, index, low, stack, onStack, component);
                }
            }
            return component;
        }

        private static void strongConnect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                Map<String, Integer> low, Deque<String> stack, Set<String> onStack, Map<String, Integer> component) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : graph.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    strongConnect(next, graph, index, low, stack, onStack, component);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                int number = component.size();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.put(member, number);
                } while (!member.equals(node));
            }
        }
    }
}

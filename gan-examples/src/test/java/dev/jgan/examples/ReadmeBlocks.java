package dev.jgan.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced blocks of a README and what each is: a block with a language must stand right after a marker line,
 * {@code <!-- ci: FILE -->} (its lines are in FILE, in order and contiguous, compared without leading and trailing
 * spaces; FILE is compiled and run by the build, or is {@code .ci/run}) or {@code <!-- illustrative: WHY -->} (not
 * run, say why). Blocks without a language are output and need no marker.
 */
final class ReadmeBlocks {

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern CI = Pattern.compile("^<!-- ci: (\\S+) -->$");
    private static final Pattern ILLUSTRATIVE = Pattern.compile("^<!-- illustrative: .+ -->$");

    /** One fenced block: where it starts (1-based line of the fence), its language, marker and lines. */
    record Block(int line, String language, String marker, List<String> lines) {}

    private ReadmeBlocks() {}

    static List<Block> parse(List<String> readme) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            Matcher open = FENCE.matcher(readme.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < readme.size() && !readme.get(i).startsWith("```"); i++) {
                body.add(readme.get(i));
            }
            String marker = start > 0 ? readme.get(start - 1).trim() : "";
            blocks.add(new Block(start + 1, open.group(1), marker, List.copyOf(body)));
        }
        return blocks;
    }

    /** What is wrong with the blocks of {@code readme} (files named by markers are resolved in {@code root}). */
    static List<String> problems(List<String> readme, Path root) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Block b : parse(readme)) {
            if (b.language().isEmpty() || ILLUSTRATIVE.matcher(b.marker()).matches()) {
                continue;
            }
            Matcher ci = CI.matcher(b.marker());
            if (!ci.matches()) {
                problems.add("README.md:" + b.line() + ": a ```" + b.language() + " block without a marker line "
                        + "before it (<!-- ci: FILE --> or <!-- illustrative: WHY -->)");
                continue;
            }
            Path file = root.resolve(ci.group(1));
            if (!Files.isRegularFile(file)) {
                problems.add("README.md:" + b.line() + ": the marker names " + ci.group(1) + ", which does not exist");
                continue;
            }
            List<String> want = trimmed(b.lines());
            List<String> have = trimmed(Files.readAllLines(file, StandardCharsets.UTF_8));
            if (want.isEmpty() || Collections.indexOfSubList(have, want) < 0) {
                problems.add("README.md:" + b.line() + ": the block is not in " + ci.group(1) + " as written"
                        + firstMissing(want, have));
            }
        }
        return problems;
    }

    private static List<String> trimmed(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.isBlank()) {
                out.add(l.strip());
            }
        }
        return out;
    }

    private static String firstMissing(List<String> want, List<String> have) {
        for (String l : want) {
            if (!have.contains(l)) {
                return " (e.g. this line is not there: " + l + ")";
            }
        }
        return " (its lines are there, but not together and in this order)";
    }
}

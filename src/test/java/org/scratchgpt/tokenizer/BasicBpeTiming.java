package org.scratchgpt.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much slower the simple {@link BasicBpe} trains than the fast {@link BpeTrainer} on the same text
 * (the first N characters of tiny-shakespeare, GPT-2's split) to the same vocabulary. Not a test: it only
 * prints. Each trainer runs once to warm up the JIT, then its fastest run counts: of 3 for the simple
 * one (seconds, steady), of 15 for the fast one (a fraction of a second, so easily disturbed on a shared machine).
 *
 * <pre>java -cp target/classes:target/test-classes:'target/lib/*' org.scratchgpt.tokenizer.BasicBpeTiming [chars] [vocab]</pre>
 */
public final class BasicBpeTiming {
    private BasicBpeTiming() {}

    public static void main(String[] args) throws Exception {
        int chars = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int vocabSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path corpus = Path.of(System.getenv().getOrDefault("SCRATCHGPT_SHARED", "../shared"),
                "datasets/tinyshakespeare/input.txt");
        String full = Files.readString(corpus);
        String text = full.substring(0, Math.min(chars, full.length()));
        PreTokenizer split = PreTokenizer.of(SplitPattern.GPT2);
        double basic = fastestOf(3, () -> BasicBpe.train(text, vocabSize, split));
        double fast = fastestOf(15, () -> new BpeTrainer(vocabSize, 0, List.of(), split, false).train(List.of(text)));
        System.out.printf("%,d characters, vocabulary %d (%d merges), GPT-2 split:%n", text.length(), vocabSize,
                vocabSize - 256);
        System.out.printf("  BasicBpe %.0f ms, BpeTrainer %.0f ms: the simple one is %.0fx slower%n", basic, fast,
                basic / fast);
    }

    private static double fastestOf(int runs, Runnable training) {
        training.run(); // warm-up
        double best = Double.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            training.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }
}

package org.scratchgpt.curation.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;
import org.scratchgpt.io.Sha256;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import org.scratchgpt.tokens.DatasetManifest;
import org.scratchgpt.tokens.ShardedTokens;
import org.scratchgpt.tokens.TokenFile;

class TokenShardsTest {
    private static final String TEXT = "The quick brown fox jumps over the lazy dog. A stitch in time saves nine. ";

    @TempDir Path dir;

    private static List<String> documents(int count) {
        return IntStream.range(0, count).mapToObj(i -> "Document " + i + ": " + TEXT.repeat(1 + i % 3)).toList();
    }

    @Test
    void eachSplitIsItsDocumentsSeparatedByEndOfTextCutIntoShards() throws IOException {
        Path prepared = dir.resolve("out");
        List<String> train = documents(40);
        List<String> val = documents(5);
        PreparedDatasets.writeSplit(prepared, "train", "part-00000.jsonl.gz", train.subList(0, 25));
        PreparedDatasets.writeSplit(prepared, "train", "part-00001.jsonl", train.subList(25, 40));
        PreparedDatasets.writeSplit(prepared, "val", "part-00000.jsonl.gz", val);
        BpeTokenizer tokenizer = PreparedDatasets.bpeTokenizer(TEXT.repeat(5), 300, dir.resolve("tok.json"));
        int eot = tokenizer.specialTokens().get("<|endoftext|>");

        Map<String, Long> counts = TokenShards.tokenize(prepared, dir.resolve("tok.json"),
                new TokenShards.Options(3, 100, false));

        int[] expectedTrain = stream(tokenizer, train, eot);
        int[] expectedVal = stream(tokenizer, val, eot);
        assertEquals(Map.of("train", (long) expectedTrain.length, "val", (long) expectedVal.length), counts);
        DatasetManifest manifest = DatasetManifest.read(prepared.resolve("tokens"));
        assertEquals("uint16", manifest.dtype());
        assertEquals(eot, manifest.eotId());
        assertEquals(Sha256.of(dir.resolve("tok.json")), manifest.tokenizerSha256());
        assertEquals(40, manifest.splits().get("train").documents());
        assertEquals((expectedTrain.length + 99) / 100, manifest.splits().get("train").shards().size());
        assertArrayEquals(expectedTrain, readSplit(prepared, manifest, "train"));
        assertArrayEquals(expectedVal, readSplit(prepared, manifest, "val"));
        assertEquals(Sha256.of(dir.resolve("tok.json")), Sha256.of(prepared.resolve("tokens/tokenizer.json")));
    }

    @Test
    void theShardsAreTheSameBytesWhateverTheNumberOfThreads() throws IOException {
        Path prepared = dir.resolve("out");
        PreparedDatasets.writeSplit(prepared, "train", "part-00000.jsonl", documents(300));
        PreparedDatasets.bpeTokenizer(TEXT.repeat(5), 300, dir.resolve("tok.json"));

        TokenShards.tokenize(prepared, dir.resolve("tok.json"), new TokenShards.Options(1, 5_000, false));
        List<String> oneThread = shardChecksums(prepared);
        TokenShards.tokenize(prepared, dir.resolve("tok.json"), new TokenShards.Options(4, 5_000, false));

        assertTrue(oneThread.size() > 1, "several shards: " + oneThread);
        assertEquals(oneThread, shardChecksums(prepared));
    }

    @Test
    void runningAgainReplacesTheShardsAndLeavesNoStrayFiles() throws IOException {
        Path prepared = dir.resolve("out");
        PreparedDatasets.writeSplit(prepared, "train", "part-00000.jsonl", documents(50));
        PreparedDatasets.bpeTokenizer(TEXT.repeat(5), 300, dir.resolve("tok.json"));
        TokenShards.tokenize(prepared, dir.resolve("tok.json"), new TokenShards.Options(2, 50, false));
        long manyShards = shardChecksums(prepared).size();

        TokenShards.tokenize(prepared, dir.resolve("tok.json"), new TokenShards.Options(2, 1_000_000, false));

        assertTrue(manyShards > 1);
        assertEquals(1, shardChecksums(prepared).size());
        try (Stream<Path> files = Files.list(prepared)) {
            assertEquals(List.of("tokens", "train"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aTokenizerWithoutEndOfTextIsRefusedWithTheFix() throws IOException {
        Path prepared = dir.resolve("out");
        PreparedDatasets.writeSplit(prepared, "train", "part-00000.jsonl", documents(3));
        TokenizerJson.save(CharTokenizer.fromText(String.join("", documents(3))), dir.resolve("char.json"));

        UserError error = assertThrows(UserError.class,
                () -> TokenShards.tokenize(prepared, dir.resolve("char.json"), 1));

        assertTrue(error.getMessage().contains("no end-of-text special token"), error.getMessage());
        assertTrue(error.getMessage().contains("tokenizer train"), error.getMessage());
        assertFalse(Files.exists(prepared.resolve("tokens")));
    }

    /** What the split must hold: each document's ids, with the end-of-text id between documents. */
    private static int[] stream(BpeTokenizer tokenizer, List<String> documents, int eot) {
        List<Integer> ids = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            if (d > 0) {
                ids.add(eot);
            }
            for (int id : tokenizer.encode(documents.get(d))) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] readSplit(Path prepared, DatasetManifest manifest, String split) throws IOException {
        List<TokenFile> files = new ArrayList<>();
        for (DatasetManifest.Shard shard : manifest.splits().get(split).shards()) {
            files.add(TokenFile.open(prepared.resolve("tokens").resolve(shard.file())));
        }
        ShardedTokens tokens = new ShardedTokens(split, files);
        return tokens.read(0, (int) tokens.size());
    }

    private static List<String> shardChecksums(Path prepared) throws IOException {
        List<String> sums = new ArrayList<>();
        try (Stream<Path> files = Files.list(prepared.resolve("tokens/train"))) {
            for (Path file : files.sorted().toList()) {
                sums.add(file.getFileName() + " " + Sha256.of(file));
            }
        }
        return sums;
    }
}

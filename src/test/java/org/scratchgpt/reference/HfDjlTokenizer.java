package org.scratchgpt.reference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A HuggingFace {@code tokenizer.json}, run by HuggingFace's Rust code through DJL, as the
 * reference our encoder must match id for id.
 *
 * <p>DJL's defaults would change the ids: it truncates to 512 tokens and pads batches, and it
 * adds the model's special tokens. All three are turned off here, so the ids are exactly the
 * BPE's. Added tokens such as {@code <|endoftext|>} are still recognised inside the text.
 *
 * <p>One instance may be used from several threads at once (the Rust tokenizer only reads).
 */
public final class HfDjlTokenizer implements AutoCloseable {

    static {
        // Never let DJL reach for the network (it phones home, and may fetch native libraries).
        // Maven's test run already sets this; the line covers runs from an IDE.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final HuggingFaceTokenizer tokenizer;

    private HfDjlTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static HfDjlTokenizer load(Path tokenizerJson) throws IOException {
        return new HfDjlTokenizer(HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build());
    }

    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Encodes many texts in one call; HuggingFace spreads the work over all cores. */
    public List<long[]> encodeAll(List<String> texts) {
        List<long[]> ids = new ArrayList<>(texts.size());
        for (Encoding encoding : tokenizer.batchEncode(texts, false, false)) {
            ids.add(encoding.getIds());
        }
        return ids;
    }

    /** Decodes every id, special ones included (DJL's one-argument decode would drop them here). */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

package org.scratchgpt.inspect;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.generation.NextTokenSampler;
import org.scratchgpt.generation.SamplingSettings;
import org.scratchgpt.model.AttentionMaps;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.pictures.TokenLabels;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * A trained model opened to look inside, for pictures and notebooks: what its attention does on a text, its token
 * embeddings and position table, and its next-token distribution. It runs on the CPU in float32 with attention
 * written out, the reference the other ways of computing are tested against. Close it to free the weights.
 *
 * <pre>{@code
 * try (CheckpointProbe probe = CheckpointProbe.open(Path.of("models/baby/best"))) {
 *     AttentionMaps maps = probe.attention("ROMEO:");
 *     AttentionPictures.heads("ROMEO:", maps, OptionalInt.empty()).writePng(Path.of("attention.png"));
 * }
 * }</pre>
 */
public final class CheckpointProbe implements AutoCloseable {

    private final Checkpoint.Contents contents;
    private final Model model;
    private final Gpt gpt;

    private CheckpointProbe(Checkpoint.Contents contents, Model model, Gpt gpt) {
        this.contents = contents;
        this.model = model;
        this.gpt = gpt;
    }

    /** Opens the checkpoint folder (e.g. models/baby/best), its weights checked as {@code sample} checks them. */
    public static CheckpointProbe open(Path checkpoint) throws IOException {
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        Model model = Model.newInstance("scratchgpt-probe", Device.cpu());
        try {
            Gpt gpt = new Gpt(contents.model());
            model.setBlock(gpt);
            Checkpoint.loadInto(model, checkpoint, new Shape(1, contents.model().contextLength()));
            return new CheckpointProbe(contents, model, gpt);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public GptConfig config() {
        return contents.model();
    }

    public Tokenizer tokenizer() {
        return contents.tokenizer();
    }

    /** The GPT itself, for looking further than these methods do. */
    public Gpt gpt() {
        return gpt;
    }

    /** The text's tokens as labels (spaces and newlines made visible), one per position. */
    public List<String> tokenLabels(String text) {
        return TokenLabels.of(tokenizer(), tokenizer().encode(text));
    }

    /** What every head of every layer looks at when the model reads {@code text}; see {@link AttentionMaps}. */
    public AttentionMaps attention(String text) {
        int[] ids = tokenizer().encode(text);
        return AttentionMaps.measure(gpt, model.getNDManager(), ids, TokenLabels.of(tokenizer(), ids));
    }

    /** The token embedding matrix, (V, C): row i is token i's vector. */
    public float[][] tokenEmbeddings() {
        return rows(parameter("tokenEmbedding_weight"));
    }

    /**
     * The table the model adds to the token vectors for positions, (context_length, C): learned (the trained
     * values) or sinusoidal (fixed). Rotary positions add nothing (they turn queries and keys: see
     * {@link PositionTables#rotaryAngles}), so there is no table to show.
     */
    public float[][] positionTable() {
        return switch (config().positionalEncoding()) {
            case LEARNED -> rows(parameter("positions_weight"));
            case SINUSOIDAL -> PositionTables.sinusoidal(config().contextLength(), config().embeddingWidth());
            case ROTARY -> throw new UserError("this model's positions are " + PositionalEncoding.ROTARY.jsonName()
                    + ": it adds no table to the embeddings; draw PositionTables.rotaryAngles instead");
        };
    }

    /** The model's scores (logits) for the token after {@code text}: one per vocabulary entry. */
    public float[] nextTokenLogits(String text) {
        int[] ids = tokenizer().encode(text);
        int contextLength = config().contextLength();
        if (ids.length == 0) {
            throw new UserError("give a non-empty text: the model scores the token that follows it");
        }
        int from = Math.max(0, ids.length - contextLength); // the model sees only its last context_length tokens
        int[] window = java.util.Arrays.copyOfRange(ids, from, ids.length);
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray batch = scope.create(window, new Shape(1, window.length));                           // (1, T)
            NDArray logits = gpt.forward(new ParameterStore(scope, false), new NDList(batch), false)
                    .singletonOrThrow();                                                                   // (1, T, V)
            return logits.get("0, -1, :").toFloatArray();                                                  // (V)
        }
    }

    /**
     * The distribution sampling draws the token after {@code text} from, under the settings' temperature, top-k
     * and top-p: zero for the tokens they cut, summing to 1.
     */
    public double[] nextTokenProbabilities(String text, SamplingSettings settings) {
        return new NextTokenSampler(settings).probabilities(nextTokenLogits(text));
    }

    /** A parameter of the GPT's own children by name; DJL numbers the children, e.g. 01tokenEmbedding_weight. */
    private NDArray parameter(String name) {
        return gpt.getParameters().stream()
                .filter(pair -> pair.getKey().replaceFirst("^\\d+", "").equals(name))
                .map(pair -> pair.getValue().getArray())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the model has no parameter " + name + ": "
                        + gpt.getParameters().keys()));
    }

    /** A (rows, columns) array as Java rows. */
    private static float[][] rows(NDArray matrix) {
        return PositionTables.rows(matrix.toFloatArray(), Math.toIntExact(matrix.getShape().get(1)));
    }

    @Override
    public void close() {
        model.close();
    }
}

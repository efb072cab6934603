package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages whose arithmetic is differentiated (the model, LoRA, the training step) never call DJL's
 * {@code mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)} or {@code minimum(Number)}:
 * their backward pass reads the number, which DJL keeps in memory Java may free first ({@link
 * org.scratchgpt.model.Scalars}; {@link GarbageCollectionMidStepTest} shows what then happens). Adding or
 * subtracting a number is fine, and so is optim's arithmetic on gradients and moments, which no backward pass reads.
 *
 * <p>Read from the compiled classes' constant pools, so that no spelling in the source escapes it.
 */
class NumbersInTheGraphTest {

    private static final Set<String> READ_BY_BACKWARD = Set.of("mul", "muli", "div", "divi", "pow", "powi",
            "maximum", "minimum");
    private static final List<String> DIFFERENTIATED = List.of("model", "lora", "training");

    @Test
    void noDifferentiatedCodeHandsDjlANumberThatItsBackwardPassReads() throws IOException {
        Path classes = Path.of("target/classes/org/scratchgpt");
        List<String> found = new ArrayList<>();
        int read = 0;
        for (String pkg : DIFFERENTIATED) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    read++;
                    for (String call : numberCalls(file)) {
                        found.add(pkg + "/" + file.getFileName() + ": " + call);
                    }
                }
            }
        }
        assertTrue(read > 40, "the compiled classes should be there: " + read);
        assertEquals(List.of(), found, "use org.scratchgpt.model.Scalars instead");
    }

    /** The NDArray methods taking a Number that {@code classFile} refers to and whose backward pass reads it. */
    static List<String> numberCalls(Path classFile) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(classFile))) {
            in.readInt();   // magic
            in.readInt();   // minor, major version
            int count = in.readUnsignedShort();
            Map<Integer, String> utf8 = new HashMap<>();
            Map<Integer, int[]> pairs = new HashMap<>();  // class -> {name}, name-and-type, method refs
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8.put(i, in.readUTF());
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;  // a long or double takes two entries
                    }
                    case 7 -> pairs.put(i, new int[] {in.readUnsignedShort()});
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 9, 17, 18 -> in.readInt();
                    case 10, 11, 12 -> pairs.put(i, new int[] {in.readUnsignedShort(), in.readUnsignedShort(), tag});
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant tag " + tag + " in " + classFile);
                }
            }
            List<String> calls = new ArrayList<>();
            for (int[] entry : pairs.values()) {
                if (entry.length == 3 && entry[2] != 12) {                       // a method reference
                    String owner = utf8.get(pairs.get(entry[0])[0]);
                    int[] nameAndType = pairs.get(entry[1]);
                    String name = utf8.get(nameAndType[0]);
                    String descriptor = utf8.get(nameAndType[1]);
                    if (owner.startsWith("ai/djl/") && owner.endsWith("NDArray") && READ_BY_BACKWARD.contains(name)
                            && descriptor.startsWith("(Ljava/lang/Number;)")) {
                        calls.add(owner + "." + name + descriptor);
                    }
                }
            }
            return calls;
        }
    }
}

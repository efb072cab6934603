package org.scratchgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Self time from a hand-written Chrome trace, as libtorch's profiler writes one: durations less their children's. */
class StepProfileTest {
    private static final String TRACE = """
            [
             {"name": "aten::linear", "ph": "X", "ts": 0, "dur": 100, "tid": 1, "shape": [[8, 64], [32, 64]]},
             {"name": "aten::t", "ph": "X", "ts": 0, "dur": 5, "tid": 1, "shape": [[32, 64]]},
             {"name": "aten::addmm", "ph": "X", "ts": 10, "dur": 30, "tid": 1, "shape": [[32], [8, 64], [64, 32]]},
             {"name": "aten::empty", "ph": "X", "ts": 15, "dur": 10, "tid": 1, "shape": [[], []]},
             {"name": "aten::addmm", "ph": "X", "ts": 50, "dur": 20, "tid": 1, "shape": [[32], [8, 64], [64, 32]]},
             {"name": "aten::add", "ph": "X", "ts": 0, "dur": 30, "tid": 2, "shape": [[8, 32], [8, 32], []]},
             {"name": "a counter", "ph": "C", "ts": 0, "tid": 1}
            ]""";

    @Test
    void selfTimeIsTheDurationLessTheChildrensOnTheSameThread() {
        OpProfile profile = StepProfile.of(JsonParser.parseString(TRACE).getAsJsonArray(), 10);

        // linear 100 - t 5 - addmm 30 - addmm 20 = 45; the first addmm 30 - empty 10 = 20; the second 20.
        assertEquals(List.of(
                new OpProfile.Op("aten::linear", "[[8, 64], [32, 64]]", 1, 0.045),
                new OpProfile.Op("aten::addmm", "[[32], [8, 64], [64, 32]]", 2, 0.040),
                new OpProfile.Op("aten::add", "[[8, 32], [8, 32], []]", 1, 0.030),
                new OpProfile.Op("aten::empty", "[[], []]", 1, 0.010),
                new OpProfile.Op("aten::t", "[[32, 64]]", 1, 0.005)), profile.ops());
        assertEquals(0.130, profile.totalMillis(), 1e-12, "every op's self time: the top-level calls of both threads");
    }

    @Test
    void theTopOpsAreListedWithTheirShareOfTheStep() {
        OpProfile profile = StepProfile.of(JsonParser.parseString(TRACE).getAsJsonArray(), 2);
        StringWriter text = new StringWriter();
        profile.print(new PrintWriter(text, true));

        assertEquals("""
                | op | input shapes | calls | self ms | share |
                |---|---|---:|---:|---:|
                | aten::linear | [[8, 64], [32, 64]] | 1 | 0.0 | 34.6% |
                | aten::addmm | [[32], [8, 64], [64, 32]] | 2 | 0.0 | 30.8% |
                """, text.toString().replace(System.lineSeparator(), "\n"));
    }
}

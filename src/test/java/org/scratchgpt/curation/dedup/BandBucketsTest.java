package org.scratchgpt.curation.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BandBucketsTest {
    @Test
    void findsEveryDocumentOfAKeyInTheOrderTheyCameAcrossGrowth() {
        BandBuckets buckets = new BandBuckets();
        int documents = 200_000;
        for (int d = 0; d < documents; d++) {
            buckets.add((int) Mix64.mix(d % 50_000), d); // 4 documents per key
        }
        for (int k = 0; k < 50_000; k += 97) {
            List<Integer> found = new ArrayList<>();
            buckets.firstMatch((int) Mix64.mix(k), d -> !found.add(d));
            assertEquals(List.of(k, k + 50_000, k + 100_000, k + 150_000), found);
            int third = k + 100_000;
            assertEquals(third, buckets.firstMatch((int) Mix64.mix(k), d -> d == third));
        }
        assertEquals(-1, buckets.firstMatch((int) Mix64.mix(60_000), d -> true), "a key never added");
        // 8 bytes an entry, at least half full
        assertTrue(buckets.memoryBytes() <= 16L * documents, "bytes per entry " + buckets.memoryBytes() / documents);
    }
}

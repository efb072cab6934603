package org.scratchgpt.tokenizer;

import java.util.Arrays;

/**
 * Applies learned merges to one word, the step that turns byte ids into BPE token ids.
 *
 * <p>The rule: among all adjacent pairs, merge the one learned earliest (lowest rank); on a tie, the
 * leftmost one; repeat until no adjacent pair is a known merge. A naive version rescans the word
 * after every merge (quadratic in the word length); a run of 10,000 spaces would then take 10^8
 * steps. Here the word is a linked list of symbols and the candidate pairs sit in a min-heap keyed by
 * (rank, position), so each merge costs O(log n). Heap entries made stale by an earlier merge are
 * recognised and skipped when they come out.
 */
final class WordMerger {
    private WordMerger() {}

    /** Merges {@code ids} (the word's byte ids, changed in place) and returns the resulting token ids. */
    static int[] merge(int[] ids, MergeTable merges) {
        int n = ids.length;
        if (n < 2) {
            return ids;
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        boolean[] gone = new boolean[n];
        LongMinHeap heap = new LongMinHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, merges, ids, i, i + 1);
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            int right = gone[left] ? -1 : next[left];
            // Stale entry: one side was merged away since it was queued, so the pair is no longer this rank.
            if (right < 0 || merges.rank(ids[left], ids[right]) != rank) {
                continue;
            }
            ids[left] = merges.mergedId(ids[left], ids[right]);
            gone[right] = true;
            alive--;
            next[left] = next[right];
            if (next[left] >= 0) {
                prev[next[left]] = left;
                offer(heap, merges, ids, left, next[left]);
            }
            if (prev[left] >= 0) {
                offer(heap, merges, ids, prev[left], left);
            }
        }
        return collect(ids, next, alive);
    }

    private static void offer(LongMinHeap heap, MergeTable merges, int[] ids, int left, int right) {
        int rank = merges.rank(ids[left], ids[right]);
        if (rank >= 0) {
            heap.add(((long) rank << 32) | left); // ordered by rank, then by position
        }
    }

    private static int[] collect(int[] ids, int[] next, int alive) {
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = ids[i];
        }
        return out;
    }

    /** A binary min-heap of primitive longs. */
    private static final class LongMinHeap {
        private long[] items;
        private int size;

        LongMinHeap(int capacity) {
            items = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            int i = size++;
            while (i > 0 && items[(i - 1) / 2] > value) {
                items[i] = items[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            items[i] = value;
        }

        long poll() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            while (2 * i + 1 < size) {
                int child = 2 * i + 1;
                if (child + 1 < size && items[child + 1] < items[child]) {
                    child++;
                }
                if (items[child] >= last) {
                    break;
                }
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}

package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The busy machine's note, from step times and load averages the test gives. */
class BusyMachineWatchTest {

    @Test
    void stepsThreeTimesSlowerThanAtTheStartAreSaidOnce() {
        BusyMachineWatch watch = new BusyMachineWatch();
        List<String> notes = new ArrayList<>();
        steps(watch, notes, 5.0, 2);    // warming up: slow, not counted
        steps(watch, notes, 0.1, 10);   // the start's pace
        assertEquals(List.of(), notes);
        steps(watch, notes, 0.35, 20);  // 3.5x slower
        assertEquals(List.of("note: steps take 3.5x longer than at the start: is something else running?"), notes);
    }

    @Test
    void oneSlowStepOrAModestSlowdownIsNoSign() {
        BusyMachineWatch watch = new BusyMachineWatch();
        List<String> notes = new ArrayList<>();
        steps(watch, notes, 0.1, 10);
        steps(watch, notes, 5.0, 1);    // a garbage collection, a checkpoint
        steps(watch, notes, 0.25, 20);  // 2.5x: a different phase of the run, or noise
        assertEquals(List.of(), notes);
    }

    @Test
    void aLoadAboveTheCoresIsSaidOnceAndCountsAsTheRunsOneNote() {
        BusyMachineWatch watch = new BusyMachineWatch();
        assertEquals(Optional.empty(), watch.load(1.9, 2));
        assertEquals(Optional.of("note: the load average is 10.0 on 2 cores: something else is running, so steps are"
                + " slower than this machine can go"), watch.load(10, 2));
        assertEquals(Optional.empty(), watch.load(12, 2));
        List<String> notes = new ArrayList<>();
        steps(watch, notes, 0.1, 10);
        steps(watch, notes, 1.0, 10);
        assertTrue(notes.isEmpty(), "said once per run: " + notes);
    }

    private static void steps(BusyMachineWatch watch, List<String> notes, double seconds, int count) {
        for (int i = 0; i < count; i++) {
            watch.step(seconds).ifPresent(notes::add);
        }
    }
}

package org.scratchgpt.pictures;

import org.scratchgpt.UserError;

/** The sizes a picture may have: big enough to hold a title and an axis, small enough to fit in memory. */
public final class PictureSize {
    private PictureSize() {}

    public static final int MIN = 100;
    public static final int MAX = 10_000;

    /** Refuses a width or height outside MIN..MAX pixels. */
    public static void check(int width, int height) {
        if (width < MIN || width > MAX || height < MIN || height > MAX) {
            throw new UserError("a picture of " + width + " x " + height + " pixels cannot be drawn: give a width and"
                    + " height from " + MIN + " to " + MAX + " pixels, e.g. 800 x 500");
        }
    }
}

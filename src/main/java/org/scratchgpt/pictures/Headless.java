package org.scratchgpt.pictures;

/**
 * Pictures are drawn off screen: servers, CI and notebook kernels have no display, and Java's drawing classes
 * would otherwise try to open one. Must run before the first AWT class asks, so every drawing class calls it first.
 */
final class Headless {
    private Headless() {}

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}

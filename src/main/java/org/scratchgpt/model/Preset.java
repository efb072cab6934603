package org.scratchgpt.model;

/**
 * A named starting point, so that nobody has to remember that nanoGPT's Shakespeare model is 6 layers of 384
 * channels. Today a preset holds the model's shape; the training settings that go with it (batch size,
 * learning rate, iterations) are meant to join it as a second component.
 *
 * @param name the name typed on the command line, e.g. {@code shakespeare-char}
 * @param summary one line saying what the preset is for
 * @param model the shape of the GPT
 */
public record Preset(String name, String summary, GptConfig model) {}

/**
 * Settings read one way everywhere. Read {@link org.scratchgpt.config.ConfigFields} first: a flat set of named
 * fields with nanoGPT's names, parsed the same whether they come from a JSON file ({@code "n_layer": 4}) or from
 * the command line ({@code --set n_layer=4}), with the field named in every error; {@link
 * org.scratchgpt.config.ByteSize} reads amounts of memory as people write them ({@code 16GB}, {@code 1.5GiB}), and
 * {@link org.scratchgpt.config.JsonSyntax} says Gson's parse errors in a few words, and {@link
 * org.scratchgpt.config.BuilderFields} is the check every builder of a many-field record makes (a field without a
 * default was given). It sits at the bottom: any
 * package may use it, and it uses no other.
 *
 * <p>May use: nothing.
 */
package org.scratchgpt.config;

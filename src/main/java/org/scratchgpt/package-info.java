/**
 * ScratchGPT, a GPT built and trained from scratch in Java with DJL, one package per concern. This root package
 * holds only {@link org.scratchgpt.UserError}, the exception for a problem in the user's input (a file, a setting,
 * a corpus) that the command line prints as one clear line instead of a stack trace. Read the packages from the
 * bottom up: {@code config} and {@code io}, {@code tokenizer}, {@code model}, {@code optim}, {@code tokens}, {@code
 * checkpoint}, then {@code training}, {@code generation} and, at the top, {@code cli}. Every package's page ends
 * with the ScratchGPT packages its code may use, in one fixed form that {@code DependencyRulesTest} checks against
 * its imports: {@code <p>May use: a, b.}, the names relative to {@code org.scratchgpt} (a sub-package as {@code
 * curation.read}), in alphabetical order, or {@code nothing}; this root package is usable by all, so it is never
 * listed, and it uses no other package itself.
 *
 * <p>May use: nothing.
 */
package org.scratchgpt;

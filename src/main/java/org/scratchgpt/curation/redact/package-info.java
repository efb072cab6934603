/**
 * Personal data replaced with placeholders, so that a model cannot learn and later recite it. Read {@link
 * org.scratchgpt.curation.redact.PiiRedactor} first (the stage, and why the order of the kinds matters), then
 * {@link org.scratchgpt.curation.redact.PiiPattern} (a pattern that finds candidates, a check that tells the real
 * ones from look-alikes, a placeholder) and the kinds: {@link org.scratchgpt.curation.redact.EmailAddresses},
 * {@link org.scratchgpt.curation.redact.Ipv4Addresses}, {@link org.scratchgpt.curation.redact.Ipv6Addresses},
 * {@link org.scratchgpt.curation.redact.CardNumbers} (Luhn-checked) and {@link
 * org.scratchgpt.curation.redact.PhoneNumbers}. It uses only its parent package's stage types.
 *
 * <p>May use: curation.
 */
package org.scratchgpt.curation.redact;

package org.scratchgpt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.UserError;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({"16GB, 16000000000", "512MB, 512000000", "1.5GiB, 1610612736", "16 gb, 16000000000",
        "64KiB, 65536", "2TB, 2000000000000", "100B, 100", "0.5 MiB, 524288"})
    void readsSizesAsWritten(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "", "-1GB", "GB", "1e9B", "16 G B"})
    void junkIsNotASize(String text) {
        UserError e = assertThrows(UserError.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("is not a size") && e.getMessage().contains("16GB"), e.getMessage());
    }

    @Test
    void aNumberNeedsAKnownUnit() {
        assertTrue(assertThrows(UserError.class, () -> ByteSize.parse("16")).getMessage().contains("has no unit"));
        assertTrue(assertThrows(UserError.class, () -> ByteSize.parse("16G")).getMessage()
                .contains("unknown unit 'g'"));
        assertTrue(assertThrows(UserError.class, () -> ByteSize.parse("0GB")).getMessage().contains("outside"));
    }

    @Test
    void formatsInMegabytesThenGigabytes() {
        assertEquals("42.9 MB", ByteSize.format(42_900_000));
        assertEquals("16.0 GB", ByteSize.format(16_000_000_000L));
    }

    @Test
    void writesArgumentsThatReadBackRoundedDown() {
        assertEquals("22.9GB", ByteSize.argument(22_987_654_321L));
        assertEquals("850MB", ByteSize.argument(850_999_999));
        assertEquals("1MB", ByteSize.argument(1_000));
        for (long bytes : new long[] {22_987_654_321L, 850_999_999, 16_000_000_000L}) {
            long read = ByteSize.parse(ByteSize.argument(bytes));
            assertTrue(read <= bytes && read > bytes * 0.99, bytes + " -> " + ByteSize.argument(bytes));
        }
    }
}

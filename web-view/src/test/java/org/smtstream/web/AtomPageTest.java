package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.smtstream.model.SmtConfig;

class AtomPageTest {

    @ParameterizedTest
    @ValueSource(strings = {"fast", "seed"})
    void shouldReachEveryAtomOfAPresetExactlyOncePageByPage(String preset) {
        int total = SmtConfig.preset(preset).dictionarySize();
        AtomPage first = AtomPage.of(null, null, null, total);
        int[] seen = IntStream.range(0, first.pages())
                .flatMap(p -> IntStream.of(AtomPage.of(Integer.toString(p), null, null, total).atoms())).toArray();
        assertArrayEquals(IntStream.range(0, total).toArray(), seen, "pages of 256 cover 0 .. N - 1 in order");
        assertEquals((total + 255) / 256, first.pages());
    }

    @Test
    void shouldHoldExactlyTheAtomsInRangeWithAPartialLastPage() {
        int total = SmtConfig.seed().dictionarySize();
        AtomPage middle = AtomPage.of("3", null, "300", total);
        assertEquals(900, middle.first());
        assertEquals(300, middle.count());
        assertArrayEquals(IntStream.range(900, 1200).toArray(), middle.atoms());
        AtomPage last = AtomPage.of("13", null, "300", total);
        assertEquals(14, last.pages());
        assertEquals(3900, last.first());
        assertEquals(total - 3900, last.count(), "the last page holds the rest");
        assertEquals(total - 1, last.atoms()[last.count() - 1]);
        assertEquals(18, last.columns(), "300 atoms in rows of 18");
    }

    @Test
    void shouldStartAtAnyAtomByOffset() {
        AtomPage one = AtomPage.of(null, "1023", "1", 1024);
        assertArrayEquals(new int[] {1023}, one.atoms());
        AtomPage tail = AtomPage.of(null, "1000", "256", 1024);
        assertArrayEquals(IntStream.range(1000, 1024).toArray(), tail.atoms());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", delimiter = '|', value = {
        "16 | null | 256 | page 16 does not exist: 4000 atoms in pages of 256 are pages 0 to 15",
        "-1 | null | 256 | page -1 does not exist: 4000 atoms in pages of 256 are pages 0 to 15",
        "x | null | 256 | page must be a whole number, got 'x'",
        "1.5 | null | 256 | page must be a whole number, got '1.5'",
        "99999999999 | null | 256 | page must be a whole number, got '99999999999'",
        "0 | null | 0 | size must be between 1 and 1024 atoms, got 0",
        "0 | null | 1025 | size must be between 1 and 1024 atoms, got 1025",
        "null | 4000 | 1 | offset 4000 is not an atom: the dictionary has atoms 0 to 3999",
        "1 | 3 | 10 | Give page or offset, not both (page=1, offset=3)",
    })
    void shouldRejectWhatTheDictionaryCannotShowSayingWhy(String page, String offset, String size, String message) {
        AtomPage.Invalid e = assertThrows(AtomPage.Invalid.class, () -> AtomPage.of(page, offset, size, 4000));
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldBoundOtherWholeNumbers() {
        assertEquals(7, AtomPage.number("k", "7", 1, 200));
        assertEquals("k must be between 1 and 200, got 0",
                assertThrows(AtomPage.Invalid.class, () -> AtomPage.number("k", "0", 1, 200)).getMessage());
    }
}

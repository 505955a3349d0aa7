package org.gridlink.kernel.cases.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** A search's words (检索) as the queue and its ledger take them from q. */
class SearchWordsTest {

    @Test
    void wordsAreSplitAtSpacesAnIdeographicOneToo() {
        assertThat(CaseController.parseWords("  井盖\u3000花园路  Streetlight\tout ")).containsExactly("井盖", "花园路",
                "Streetlight", "out");
        assertThat(CaseController.parseWords("100%_x")).containsExactly("100%_x");
    }

    @Test
    void aBlankSearchNarrowsNothing() {
        assertThat(CaseController.parseWords(null)).isEmpty();
        assertThat(CaseController.parseWords(" \u3000 ")).isEmpty();
    }

    @Test
    void aSearchTooLongOfTooManyWordsOrWithControlCharactersIsMalformed() {
        assertThat(CaseController.parseWords("字".repeat(100))).hasSize(1);
        assertRefused("字".repeat(101), "at most 100 characters, not 101");
        assertRefused("a\u0000b", "without control characters");
        assertThat(CaseController.parseWords("a b c d e")).hasSize(5);
        assertRefused("a b c d e f", "at most 5 words, not 6");
    }

    private static void assertRefused(String q, String text) {
        assertThatThrownBy(() -> CaseController.parseWords(q)).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> {
                    assertThat(e.malformed()).isTrue();
                    assertThat(e.field()).isEqualTo("q");
                    assertThat(e.getMessage()).contains(text);
                });
    }
}

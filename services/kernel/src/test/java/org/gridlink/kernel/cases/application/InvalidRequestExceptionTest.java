package org.gridlink.kernel.cases.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InvalidRequestExceptionTest {

    @Test
    void aRequiredTextIsStrippedBlankIsMalformedAndTooLongIsUnprocessable() {
        assertThat(InvalidRequestException.requiredText("reason", "  病假 \n", 4, "say why")).isEqualTo("病假");
        assertThat(InvalidRequestException.requiredText("reason", "四个字符", 4, "say why")).isEqualTo("四个字符");
        for (String blank : new String[] {null, "", " \t\n"}) {
            assertThatThrownBy(() -> InvalidRequestException.requiredText("reason", blank, 4, "say why"))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.malformed()).isTrue();
                        assertThat(e.field()).isEqualTo("reason");
                        assertThat(e.getMessage()).isEqualTo("say why");
                    });
        }
        assertThatThrownBy(() -> InvalidRequestException.requiredText("reason", "五个字符了", 4, "say why"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.malformed()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("reason is at most 4 characters, not 5");
                });
    }
}

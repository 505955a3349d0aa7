package org.gridlink.kernel.support.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aMessageSetAsideSaysWhyByItsInnermostCauseNotByTheExceptionsAroundIt() {
        Exception listener = new RuntimeException("Listener method 'onMessages' threw exception",
                new IllegalStateException("cannot apply inbox-0@0",
                        new IllegalArgumentException("ce_specversion must be 1.0, was null")));
        Headers why = DeadLetters.why(listener);
        assertThat(text(why, DeadLetters.WHY_CLASS)).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(text(why, DeadLetters.WHY_MESSAGE)).isEqualTo("ce_specversion must be 1.0, was null");

        Headers bare = DeadLetters.why(new RuntimeException("outer", new NullPointerException()));
        assertThat(text(bare, DeadLetters.WHY_CLASS)).isEqualTo("java.lang.NullPointerException");
        assertThat(bare.lastHeader(DeadLetters.WHY_MESSAGE)).isNull();
    }

    private static String text(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

package org.gridlink.kernel.support.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aDeadLetterSaysWhyByTheInnermostCauseItsStackTraceNames() {
        String trace = """
                org.springframework.kafka.listener.ListenerExecutionFailedException: Listener method 'onMessages' threw exception
                \tat org.springframework.kafka.listener.Something.invoke(Something.java:1)
                Caused by: org.springframework.kafka.listener.BatchListenerFailedException: cannot apply inbox-0@0
                \tat org.gridlink.kernel.cases.messaging.CaseEventListener.onMessages(CaseEventListener.java:99)
                Caused by: org.gridlink.kernel.support.events.MalformedEventException: ce_specversion must be 1.0, was null
                \tat org.gridlink.kernel.support.events.CloudEvent.read(CloudEvent.java:42)
                \t... 12 more
                """;
        assertThat(DeadLetters.rootCause(trace)).containsExactly(
                "org.gridlink.kernel.support.events.MalformedEventException", "ce_specversion must be 1.0, was null");
        assertThat(DeadLetters.rootCause("java.lang.IllegalStateException: at the top only\n\tat x.y(z:1)")).isNull();
        assertThat(DeadLetters.rootCause(null)).isNull();
        assertThat(DeadLetters.rootCause("x\nCaused by: java.lang.NullPointerException\n\tat a.b(c:1)"))
                .containsExactly("java.lang.NullPointerException", null);
    }
}

package org.gridlink.kernel.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.UncategorizedR2dbcException;

class ApiProblemsTest {

    final ApiProblems problems = new ApiProblems();

    @Test
    void aTransactionTheDatabaseEndedToSettleAConflictIsA503ToTryAgainNotA500() {
        ResponseEntity<ProblemDetail> answer = problems.dataAccess(failure("select … for update",
                new R2dbcTransientException("deadlock detected", "40P01") {
                }));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody().getType().toString()).isEqualTo("urn:gridlink:problem:try-again");
        assertThat(answer.getBody().getDetail()).contains("SQLSTATE 40P01", "rolled back", "send it again");
    }

    @Test
    void anyOtherDatabaseFailureStaysAServerError() {
        ResponseEntity<ProblemDetail> answer = problems.dataAccess(failure("insert …",
                new R2dbcNonTransientResourceException("relation \"case_record\" does not exist", "42P01") {
                }));

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
        assertThat(answer.getBody().getType().toString()).isEqualTo("urn:gridlink:problem:server-error");
        assertThat(answer.getBody().getDetail()).doesNotContain("case_record", "insert");
    }

    /** The driver's {@code cause} as Spring's R2DBC support hands it to a controller. */
    private static UncategorizedR2dbcException failure(String sql, R2dbcException cause) {
        return new UncategorizedR2dbcException("execute", sql, cause);
    }
}

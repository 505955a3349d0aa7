package org.gridlink.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static final String PROBLEM = """
            {"type":"https://gridlink.example/problems/try-again","title":"Try again","status":503,
             "detail":"the database ended this request's work"}""";

    @Test
    void failuresAreCountedByWhatAnsweredThemAndTheRequestsShape() {
        List<String> told = new ArrayList<>();
        Failures failures = new Failures(told::add);
        failures.answered("GET", "/api/units/410105001001/cases", 503, PROBLEM);
        failures.answered("GET", "/api/units/410105001002/cases", 503, PROBLEM);
        failures.answered("GET", "/api/units/410105001002/cases/6f1c2f8e-1b2a-4c3d-9e8f-0a1b2c3d4e5f", 504, "");
        failures.ended("GET", "/api/units/410105001001/cases", new IOException("wrapped", new TimeoutException("10 s")));

        assertThat(failures.counts()).containsExactly(
                org.assertj.core.api.Assertions.entry("GET /api/units/{unit}/cases → 503 Try again", 2L),
                org.assertj.core.api.Assertions.entry("GET /api/units/{unit}/cases/{id} → 504", 1L),
                org.assertj.core.api.Assertions.entry("GET /api/units/{unit}/cases → TimeoutException", 1L));
        // the first of each kind once, with what answered it
        assertThat(told).hasSize(3);
        assertThat(told.get(0)).startsWith("GET /api/units/{unit}/cases → 503 Try again: {\"type\"")
                .contains("the database ended");
        assertThat(told.get(2)).isEqualTo("GET /api/units/{unit}/cases → TimeoutException: 10 s");
    }

    @Test
    void theQueryIsNotPartOfTheShape() {
        assertThat(Failures.shape("/api/units/410105001001/cases?limit=20&cursor=123"))
                .isEqualTo("/api/units/{unit}/cases");
        assertThat(Failures.shape("/api/units/410105001001/stats")).isEqualTo("/api/units/{unit}/stats");
    }

    @Test
    void theFirstOfAKindIsToldOnceWhenManyFailAtOnce() throws Exception {
        List<String> told = java.util.Collections.synchronizedList(new ArrayList<>());
        Failures failures = new Failures(told::add);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 8_000; i++) {
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                failures.answered("POST", "/api/units/410105001001/cases", 429, "{\"title\":\"Too many requests\"}");
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(told).hasSize(1);
        assertThat(failures.counts()).containsEntry("POST /api/units/{unit}/cases → 429 Too many requests", 8_000L);
    }
}

package org.gridlink.bench.driver;

import java.util.concurrent.CompletionStage;

/** One request of a scenario, started when called; completes with true on success, false (or exceptionally) on failure. */
@FunctionalInterface
public interface Operation {

    CompletionStage<Boolean> start();
}

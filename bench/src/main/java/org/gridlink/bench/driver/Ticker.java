package org.gridlink.bench.driver;

import java.util.concurrent.locks.LockSupport;

/** The driver's clock: monotonic nanoseconds and a way to wait for a moment; a test substitutes its own. */
public interface Ticker {

    long nanoTime();

    /** Returns at or after {@code deadlineNanos}; at once if it has passed. */
    void sleepUntil(long deadlineNanos);

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) {
            long left;
            while ((left = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    };
}

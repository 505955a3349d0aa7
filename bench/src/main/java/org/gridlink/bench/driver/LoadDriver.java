package org.gridlink.bench.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs an {@link Operation} under load and measures it: closed loop (a fixed number of clients, each sending its next
 * request when the last one answered: the maximum throughput) or open loop (a fixed arrival rate, each request due at
 * its time whether or not earlier ones have answered, latency measured from that time). Each run has a warm-up that
 * is not measured.
 */
public final class LoadDriver {

    /** How long a request may take before it counts as failed (and an open-loop run stops waiting at its end). */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long HIGHEST_MICROS = 600_000_000L;

    private final Ticker ticker;
    private final Progress progress;
    private final int maxInFlight;
    private final Duration drain;
    private final SlowRequests slow;
    private final long slowMicros;

    /**
     * @param maxInFlight an open-loop request due while this many are unanswered is not sent and counts as an error
     * @param drain       how long an open-loop run waits, after its end, for the answers still out (then: errors)
     * @param slow        where each request slower than its bound goes, warm-ups' included
     */
    public LoadDriver(Ticker ticker, Progress progress, SlowRequests slow, int maxInFlight, Duration drain) {
        this.ticker = ticker;
        this.progress = progress;
        this.slow = slow;
        this.slowMicros = slow.over().toNanos() / 1_000;
        this.maxInFlight = maxInFlight;
        this.drain = drain;
    }

    public LoadDriver(Ticker ticker, Progress progress, int maxInFlight, Duration drain) {
        this(ticker, progress, SlowRequests.NONE, maxInFlight, drain);
    }

    public LoadDriver(Progress progress, SlowRequests slow) {
        this(Ticker.SYSTEM, progress, slow, 20_000, TIMEOUT);
    }

    public LoadDriver(Progress progress) {
        this(progress, SlowRequests.NONE);
    }

    /**
     * {@code clients} loops, each sending a request, waiting for its answer, sending the next. Latency is each
     * request's own round trip (service time: a closed loop measures throughput, not the latency users would see).
     */
    public Measurement closedLoop(String name, int clients, Duration warmup, Duration measure, Operation op) {
        long start = ticker.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        Window window = new Window(name, "closed loop, " + clients + " clients", measureFrom, end);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                long now;
                while ((now = ticker.nanoTime()) < end) {
                    long sent = now;
                    boolean ok;
                    try {
                        ok = Boolean.TRUE.equals(op.start().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        ok = false;
                    }
                    window.record(sent, ticker.nanoTime(), ok);
                }
            }, name + "-client-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        window.startProgress();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return window.finish();
    }

    /**
     * Requests due at {@code ratePerSecond}, sent from this thread at their intended times, each measured from its
     * intended time to its answer (coordinated-omission corrected). A request that would exceed the in-flight cap, or
     * is still unanswered the drain time after the end, counts as an error.
     */
    public Measurement openLoop(String name, double ratePerSecond, Duration warmup, Duration measure, Operation op) {
        return openLoop(name, ratePerSecond, warmup, measure, op, () -> false);
    }

    /**
     * As {@link #openLoop(String, double, Duration, Duration, Operation)}, but ends early once {@code stop} says so
     * (asked before each request is sent): no request is sent after that, and the measured window closes there, so
     * that the throughput is over the time the load really ran. For a load that runs beside another measurement,
     * as long as that one takes.
     */
    public Measurement openLoop(String name, double ratePerSecond, Duration warmup, Duration measure, Operation op,
                                BooleanSupplier stop) {
        long start = ticker.nanoTime();
        OpenLoopSchedule schedule = new OpenLoopSchedule(start, ratePerSecond);
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        Window window = new Window(name, String.format("open loop, %s/s", Formats.number(ratePerSecond)), measureFrom,
                end);
        AtomicLong inFlight = new AtomicLong();
        List<CompletableFuture<?>> outstanding = new ArrayList<>();
        window.startProgress();
        long total = schedule.countBefore(end);
        boolean stopped = false;
        for (long i = 0; i < total; i++) {
            long intended = schedule.intendedNanos(i);
            ticker.sleepUntil(intended);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (stop.getAsBoolean()) {
                window.closeAt(intended);
                stopped = true;
                break;
            }
            if (inFlight.get() >= maxInFlight) {
                window.record(intended, ticker.nanoTime(), false);
                continue;
            }
            inFlight.incrementAndGet();
            window.sent(intended, ticker.nanoTime());
            CompletableFuture<Boolean> call;
            try {
                call = op.start().toCompletableFuture();
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<?> recorded = call.handle((ok, error) -> {
                inFlight.decrementAndGet();
                window.record(intended, ticker.nanoTime(), error == null && Boolean.TRUE.equals(ok));
                return null;
            });
            if (!recorded.isDone()) {
                outstanding.add(recorded);
            }
            if (outstanding.size() > 4096) {
                outstanding.removeIf(CompletableFuture::isDone);
            }
        }
        if (!stopped) {
            ticker.sleepUntil(end); // the window closes at its end, not when the last request left
        }
        long drainUntil = System.nanoTime() + drain.toNanos();
        for (CompletableFuture<?> f : outstanding) {
            long left = drainUntil - System.nanoTime();
            try {
                f.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                window.lost();
            }
        }
        return window.finish();
    }

    /** The measured window of one run: latencies and errors of the requests due (or sent) inside it, and progress. */
    private final class Window {

        private final String name;
        private final String load;
        private final long from;
        private volatile long to;
        private final Recorder recorder = new Recorder(1, HIGHEST_MICROS, 3);
        /** Everything, warm-up included, for the progress line only. */
        private final Recorder seen = new Recorder(1, HIGHEST_MICROS, 3);
        /**
         * An open loop's send lag: how late each request left after its intended time (the driver's own delay, which
         * its latency includes), warm-up included, for the progress line; a closed loop has none.
         */
        private final Recorder sendLag = new Recorder(1, HIGHEST_MICROS, 3);
        /** The measured requests' send lag (recorded and read by the sending thread only). */
        private final Histogram measuredSendLag = Measurement.newHistogram();
        private volatile boolean openLoop;
        private final Histogram total = Measurement.newHistogram();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLong intervalErrors = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread reporter;

        Window(String name, String load, long from, long to) {
            this.name = name;
            this.load = load;
            this.from = from;
            this.to = to;
        }

        void record(long startNanos, long doneNanos, boolean ok) {
            long micros = Math.max(1, Math.min(HIGHEST_MICROS, (doneNanos - startNanos) / 1_000));
            if (ok) {
                seen.recordValue(micros);
            }
            boolean measured = startNanos >= from && startNanos < to;
            if (micros > slowMicros) {
                slow.request(name, startNanos, micros, ok, measured);
            }
            if (!measured) {
                return; // warm-up, or sent after the end
            }
            if (ok) {
                recorder.recordValue(micros);
            } else {
                errors.incrementAndGet();
                intervalErrors.incrementAndGet();
            }
        }

        /** An open loop's request left at {@code sentNanos}, due at {@code intendedNanos}. */
        void sent(long intendedNanos, long sentNanos) {
            openLoop = true;
            long micros = Math.max(1, Math.min(HIGHEST_MICROS, (sentNanos - intendedNanos) / 1_000));
            sendLag.recordValue(micros);
            if (intendedNanos >= from && intendedNanos < to) {
                measuredSendLag.recordValue(micros);
            }
        }

        /** Ends the measured window early, at {@code nanos} (not before its start: a load stopped in its warm-up measured nothing). */
        void closeAt(long nanos) {
            to = Math.max(from, Math.min(to, nanos));
        }

        void lost() {
            errors.incrementAndGet();
        }

        void startProgress() {
            if (progress == Progress.SILENT) {
                return;
            }
            long wallStart = System.nanoTime();
            double totalSeconds = (to - ticker.nanoTime()) / 1e9;
            reporter = new Thread(() -> {
                long last = System.nanoTime();
                while (running.get()) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long now = System.nanoTime();
                    Histogram[] interval = takeInterval();
                    Histogram lag = sendLag.getIntervalHistogram();
                    progress.update(name, (now - wallStart) / 1e9, totalSeconds, interval[0], interval[1],
                            openLoop ? lag : null, intervalErrors.getAndSet(0), (now - last) / 1e9);
                    last = now;
                }
            }, name + "-progress");
            reporter.setDaemon(true);
            reporter.start();
        }

        /**
         * Adds what was measured since the last call to the total; returns all that finished meanwhile, and of those
         * the measured ones.
         */
        private synchronized Histogram[] takeInterval() {
            Histogram measured = recorder.getIntervalHistogram();
            total.add(measured);
            return new Histogram[] {seen.getIntervalHistogram(), measured};
        }

        Measurement finish() {
            running.set(false);
            if (reporter != null) {
                reporter.interrupt();
                try {
                    reporter.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                progress.done(name);
            }
            slow.flush();
            takeInterval();
            Histogram result = Measurement.newHistogram();
            synchronized (this) {
                result.add(total);
            }
            return new Measurement(name, load, result, errors.get(), (to - from) / 1e9,
                    openLoop ? measuredSendLag : null);
        }
    }
}

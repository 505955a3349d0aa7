package org.gridlink.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gridlink.bench.driver.Measurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void aRowPrintsThroughputAndPercentilesInMilliseconds() {
        var h = Measurement.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 10L); // 10 µs .. 10 ms
        }
        ResultsFile file = new ResultsFile().row(Row.of(new Measurement("intake", "closed loop, 8 clients", h, 2, 4),
                "note"));

        String table = file.table();

        assertThat(table).contains("| intake | closed loop, 8 clients | 250 | 5.00 ms | 9.90 ms | 9.99 ms | 1000 | 2 | note |");
    }

    @Test
    void theMachinesOwnLinesFollowWhatItIsInTheMachineSection(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("results.md");
        new ResultsFile().machineLine("speed, one thread: SHA-256 1000 MB/s").note("a note").write(md, "title", "p.png");

        String written = Files.readString(md);
        String machine = written.substring(written.indexOf("## Machine"), written.indexOf("## Commands"));

        assertThat(machine).contains("- cores: ").endsWith("- speed, one thread: SHA-256 1000 MB/s\n\n");
        assertThat(written).contains("## Notes\n\n- a note\n");
    }

    @Test
    void thePlotStretchesTheTailAndIsWrittenAsAPng(@TempDir Path dir) throws Exception {
        var h = Measurement.newHistogram();
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(i);
        }

        List<double[]> points = PercentilePlot.points(h);

        assertThat(points.get(0)[0]).isEqualTo(1.0); // 0th percentile
        assertThat(points).allSatisfy(p -> assertThat(p[0]).isBetween(1.0, 10_000.0));
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i)[1]).isGreaterThanOrEqualTo(points.get(i - 1)[1]);
        }
        Path png = dir.resolve("plot.png");
        new PercentilePlot().add("uniform", h).write(png, "test");
        assertThat(Files.size(png)).isPositive();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(1100);
    }
}

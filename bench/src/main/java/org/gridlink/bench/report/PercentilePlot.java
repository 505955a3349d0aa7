package org.gridlink.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The latency distributions of a run as one PNG, drawn with java.awt (headless): HdrHistogram's percentile
 * spectrum, the x axis stretched towards the tail ({@code 1 / (1 - p)}, log scale: 0, 90, 99, 99.9, 99.99 %), the
 * latency on a log scale in milliseconds.
 */
public final class PercentilePlot {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 680;
    private static final int LEFT = 80;
    private static final int RIGHT = 330;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final double MAX_X = 10_000; // 1 / (1 - 0.9999)
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private final Map<String, Histogram> series = new LinkedHashMap<>();

    public PercentilePlot add(String name, Histogram latencyMicros) {
        if (latencyMicros.getTotalCount() > 0) {
            series.put(name, latencyMicros);
        }
        return this;
    }

    /** The points of one curve: x = 1 / (1 - percentile/100), y = latency in ms; stops at 99.99 %. */
    static List<double[]> points(Histogram h) {
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p >= 100) {
                break;
            }
            double x = 1 / (1 - p / 100);
            if (x > MAX_X) {
                break;
            }
            points.add(new double[] {x, h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0});
        }
        return points;
    }

    public void write(Path png, String title) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (var e : series.entrySet()) {
            List<double[]> pts = points(e.getValue());
            curves.put(e.getKey(), pts);
            for (double[] p : pts) {
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (curves.isEmpty()) {
            minY = 0.1;
            maxY = 1000;
        }
        double lo = Math.pow(10, Math.floor(Math.log10(Math.max(minY, 0.01))));
        double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(maxY, lo * 10))));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // grid and axes
        String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i <= 4; i++) {
            int x = LEFT + (int) Math.round(plotW * i / 4.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.BLACK);
            g.drawString(xLabels[i], x - 15, TOP + plotH + 18);
        }
        for (double y = lo; y <= hi * 1.0001; y *= 10) {
            int py = yPixel(y, lo, hi, plotH);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.BLACK);
            String label = y >= 1 ? String.format("%.0f ms", y) : String.format("%s ms", y);
            g.drawString(label, 8, py + 4);
        }
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("percentile", LEFT + plotW / 2 - 30, HEIGHT - 18);
        // curves and legend
        int i = 0;
        g.setStroke(new BasicStroke(2f));
        for (var e : curves.entrySet()) {
            Color c = COLORS[i % COLORS.length];
            g.setColor(c);
            Path2D path = new Path2D.Double();
            boolean first = true;
            for (double[] p : e.getValue()) {
                double px = LEFT + plotW * Math.log10(p[0]) / Math.log10(MAX_X);
                double py = yPixel(Math.max(p[1], lo), lo, hi, plotH);
                if (first) {
                    path.moveTo(px, py);
                    first = false;
                } else {
                    path.lineTo(px, py);
                }
            }
            g.draw(path);
            int ly = TOP + 10 + i * 22;
            g.fillRect(LEFT + plotW + 15, ly - 8, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), LEFT + plotW + 40, ly);
            i++;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static int yPixel(double ms, double lo, double hi, int plotH) {
        double f = (Math.log10(ms) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return TOP + plotH - (int) Math.round(f * plotH);
    }
}

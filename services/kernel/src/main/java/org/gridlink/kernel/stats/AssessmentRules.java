package org.gridlink.kernel.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.databind.ObjectMapper;

/**
 * The assessment's weights and bands, from the seeds' {@code assessment.json}: each weight multiplies a rate of
 * {@link Figures#RATES} or {@link Figures#PATROL_COVERAGE} (a negative weight penalises), the score is 100 × the
 * weighted sum.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssessmentRules(Map<String, Double> weights, double commendedShare, double warnedShare) {

    public AssessmentRules {
        weights = new LinkedHashMap<>(weights);
        for (String rate : weights.keySet()) {
            if (!Figures.rateLabels().containsKey(rate)) {
                throw new IllegalArgumentException("assessment.json weighs an unknown rate '" + rate + "'; rates: "
                        + List.copyOf(Figures.rateLabels().keySet()));
            }
        }
        if (commendedShare < 0 || warnedShare < 0 || commendedShare > 0.5 || warnedShare > 0.5) {
            throw new IllegalArgumentException("assessment.json: the commended and warned shares are between 0 and 0.5");
        }
    }

    public static AssessmentRules load(ResourceLoader resources, ObjectMapper json, String seeds) {
        Resource file = resources.getResource(seeds + "/assessment.json");
        try (InputStream in = file.getInputStream()) {
            return json.readValue(in, AssessmentRules.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the assessment weights " + seeds + "/assessment.json", e);
        }
    }

    /** The formula as a person reads it, with the Chinese names of the rates. */
    public String formula() {
        StringBuilder s = new StringBuilder("score = 100 × (");
        boolean first = true;
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            double v = w.getValue();
            s.append(first ? (v < 0 ? "−" : "") : (v < 0 ? " − " : " + "));
            s.append(Math.abs(v)).append(" × ").append(label(w.getKey())).append('(').append(w.getKey()).append(')');
            first = false;
        }
        return s.append("); a rate without data counts 0").toString();
    }

    static String label(String rate) {
        return Figures.rateLabels().getOrDefault(rate, rate);
    }
}

package org.gridlink.kernel.duplicates;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Possible duplicates ({@code gridlink.duplicates.*}).
 *
 * @param radius how near (metres) an open record of the same category must be
 * @param window how close in time its report must be
 */
@ConfigurationProperties("gridlink.duplicates")
public record DuplicateProperties(@DefaultValue("50") double radius, @DefaultValue("24h") Duration window) {
}

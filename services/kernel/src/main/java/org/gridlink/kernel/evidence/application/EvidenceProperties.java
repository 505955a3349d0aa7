package org.gridlink.kernel.evidence.application;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Evidence uploads ({@code gridlink.evidence.*}).
 *
 * @param maxSize the largest file a node keeps (413 beyond it)
 */
@ConfigurationProperties("gridlink.evidence")
public record EvidenceProperties(@DefaultValue("10MB") DataSize maxSize) {

    /** Room for the multipart framing around the file, in the request size limit of the upload path. */
    public static final long MULTIPART_OVERHEAD = 64 * 1024;
}

package org.gridlink.kernel.evidence;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

/**
 * Where and when a photo says it was taken (EXIF GPS position and original date-time), when it says so. A photo
 * without EXIF, or with EXIF that cannot be read, has none: that is not an error.
 */
public record PhotoMetadata(Instant takenAt, Double lat, Double lon) {

    public static final PhotoMetadata NONE = new PhotoMetadata(null, null, null);

    /** EXIF date-times have no zone; the city's photos are read in its zone. */
    public static PhotoMetadata read(byte[] bytes, TimeZone zone) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            Instant takenAt = null;
            ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
            if (exif != null) {
                Date original = exif.getDateOriginal(zone);
                takenAt = original == null ? null : original.toInstant();
            }
            Double lat = null;
            Double lon = null;
            GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
            if (gps != null) {
                GeoLocation at = gps.getGeoLocation();
                if (at != null && !at.isZero()) {
                    lat = at.getLatitude();
                    lon = at.getLongitude();
                }
                if (takenAt == null && gps.getGpsDate() != null) {
                    takenAt = gps.getGpsDate().toInstant();
                }
            }
            return new PhotoMetadata(takenAt, lat, lon);
        } catch (Exception | StackOverflowError e) {
            return NONE;
        }
    }
}

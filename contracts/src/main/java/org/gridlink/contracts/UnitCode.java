package org.gridlink.contracts;

import java.util.Optional;

/**
 * A unit's 12-digit statistical division code, {@code PPCCDDTTTVVV} (province, city, county/district,
 * township, village/community). The tier and the parent follow from the code alone (DESIGN §3), so
 * routing up never needs a lookup.
 */
public record UnitCode(String value) implements Comparable<UnitCode> {

    public UnitCode {
        if (!isTwelveDigits(value)) {
            throw new IllegalArgumentException("a unit code is 12 digits (PPCCDDTTTVVV), got '" + value + "'");
        }
        if (value.substring(2, 4).equals("00")) {
            throw new IllegalArgumentException("unit code " + value + " names a province, not a unit of the city's four tiers");
        }
    }

    public static UnitCode of(String value) {
        return new UnitCode(value);
    }

    /** True when {@code value} has the shape of a unit code of one of the four tiers. */
    public static boolean isValid(String value) {
        try {
            new UnitCode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // what \d{12} matches, without a regular expression: the gateway checks the code of every request's path
    private static boolean isTwelveDigits(String value) {
        if (value == null || value.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public Tier tier() {
        if (!value.substring(9, 12).equals("000")) {
            return Tier.COMMUNITY;
        }
        if (!value.substring(6, 9).equals("000")) {
            return Tier.TOWNSHIP;
        }
        if (!value.substring(4, 6).equals("00")) {
            return Tier.DISTRICT;
        }
        return Tier.CITY;
    }

    /** The parent unit: this code with its lowest non-zero level zeroed; empty for the city. */
    public Optional<UnitCode> parent() {
        return switch (tier()) {
            case COMMUNITY -> Optional.of(new UnitCode(value.substring(0, 9) + "000"));
            case TOWNSHIP -> Optional.of(new UnitCode(value.substring(0, 6) + "000000"));
            case DISTRICT -> Optional.of(new UnitCode(value.substring(0, 4) + "00000000"));
            case CITY -> Optional.empty();
        };
    }

    /** True when {@code other} is this unit or lies below it. */
    public boolean contains(UnitCode other) {
        UnitCode cursor = other;
        while (cursor != null) {
            if (cursor.equals(this)) {
                return true;
            }
            cursor = cursor.parent().orElse(null);
        }
        return false;
    }

    public boolean isParentOf(UnitCode other) {
        return other.parent().map(this::equals).orElse(false);
    }

    @Override
    public int compareTo(UnitCode o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

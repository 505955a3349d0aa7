package org.gridlink.kernel.units;

/** A reason a receiver may give for sending a dispatched case back (seeds: return-reasons.json). */
public record ReturnReason(String code, String name, String nameEn) {
}

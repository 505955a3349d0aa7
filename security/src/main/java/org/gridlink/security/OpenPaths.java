package org.gridlink.security;

/** The API's paths read without a token, the same at the gateway and at every node. */
public final class OpenPaths {

    /** Every unit's Open311 service discovery document (a GET): an app reads it before it has a token. */
    public static final String OPEN311_DISCOVERY = "/api/units/*/open311/discovery.json";

    private OpenPaths() {
    }
}

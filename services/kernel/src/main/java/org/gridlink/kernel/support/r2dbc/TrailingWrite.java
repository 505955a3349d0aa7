package org.gridlink.kernel.support.r2dbc;

/**
 * A data-modifying statement that can also end another one, after that statement's own data-modifying {@code WITH}
 * parts: what it writes then commits with them in one round trip (issue 8). The outbox rows of the events a change
 * sends are one (see {@code OutboxWriter#rows}).
 */
@FunctionalInterface
public interface TrailingWrite {

    /** Its SQL; its named values are added to {@code values}, under names no other part of a statement uses. */
    String sql(NamedValues values);
}

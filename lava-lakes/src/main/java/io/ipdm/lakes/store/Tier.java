package io.ipdm.lakes.store;

/** The storage tiers, fastest first. */
public enum Tier {
    HOT,
    WARM,
    COLD
}

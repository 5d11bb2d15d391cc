package dev.jgan.trainer.run;

/** What a resume does when the run's records cannot prove that it continues the same training. */
public enum Verification {
    /**
     * Refuse (the default): provenance.json must record the config's SHA-256 and the data's fingerprint, and both
     * must match.
     */
    REQUIRED,
    /**
     * Resume even when provenance.json, its config hash or its data fingerprint is missing (say, a run made by an
     * older version), with a warning; a recorded hash or fingerprint that differs is still refused.
     */
    WAIVED_WHERE_MISSING
}

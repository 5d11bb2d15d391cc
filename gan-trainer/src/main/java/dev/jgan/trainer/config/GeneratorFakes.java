package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which fakes the generator's step of an iteration trains on ({@code training.g_fakes}). */
public enum GeneratorFakes {
    /** A batch of its own, generated from fresh noise (with random classes for a conditional GAN). */
    @JsonProperty("fresh") FRESH,
    /**
     * The fakes of the iteration's last discriminator step, with their noise and classes, as the PyTorch DCGAN
     * example trains: one generator forward pass fewer per iteration (about a seventh of the dense example's work).
     * Only the first of {@code g_steps} reuses them.
     */
    @JsonProperty("reused") REUSED
}

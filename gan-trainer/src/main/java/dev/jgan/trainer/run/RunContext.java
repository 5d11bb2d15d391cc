package dev.jgan.trainer.run;

import dev.jgan.trainer.config.GanConfig;

import dev.jgan.api.ImageSource;
import java.nio.file.Path;

/**
 * What a {@link RunExtension} sees of a run when it attaches.
 *
 * @param config the run's resolved config
 * @param directory the run directory (it exists)
 * @param data the training images
 * @param resumed whether the run continues from a checkpoint
 */
public record RunContext(GanConfig config, Path directory, ImageSource data, boolean resumed) {}

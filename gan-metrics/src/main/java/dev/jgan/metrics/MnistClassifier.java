package dev.jgan.metrics;

import dev.jgan.api.EpochOrder;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.ModelMetadata;
import dev.jgan.dl4j.InvalidModelFileException;
import dev.jgan.dl4j.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.jgan.api.ImageShape;
import dev.jgan.dl4j.Inference;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * The MNIST feature network of the metrics: LeNet-5 as in LeCun et al. (conv 5×5×20 → max-pool → conv 5×5×50 →
 * max-pool → dense 500 ReLU → softmax 10), on images in [-1, 1]. Its 500 penultimate activations play the role that
 * Inception's pool features play for FID on natural images. Trained by {@link #train}; the weights shipped in this
 * module ({@value #RESOURCE}) were made with {@code jgan train-classifier} and their test accuracy is in their
 * metadata.
 */
public final class MnistClassifier {

    /** Class-path location of the shipped weights. */
    public static final String RESOURCE = "jgan/metrics/mnist-lenet.zip";
    /** Class-path location of the shipped Fashion-MNIST weights (the same network trained on Fashion-MNIST). */
    public static final String FASHION_RESOURCE = "jgan/metrics/fashion-mnist-lenet.zip";
    /** Role written in the model file's metadata. */
    public static final String ROLE = "mnist-classifier";
    /** Index of the feature layer (dense 500). */
    private static final int FEATURE_LAYER = 4;

    private static final Logger LOG = LoggerFactory.getLogger(MnistClassifier.class);

    private final MultiLayerNetwork net;
    private final Map<String, Object> provenance;

    private MnistClassifier(MultiLayerNetwork net, Map<String, Object> provenance) {
        this.net = net;
        this.provenance = provenance;
    }

    /** Batch size of {@link #train}. */
    private static final int BATCH = 64;

    /** An untrained LeNet-5 with weights drawn from {@code seed}; Adam's rate steps down ×0.3 every 60,000 images. */
    public static MnistClassifier untrained(long seed) {
        var lr = new StepSchedule(ScheduleType.ITERATION, 1e-3,
                0.3, 60_000 / BATCH);
        var conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(lr))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new MnistClassifier(net, new LinkedHashMap<>());
    }

    /**
     * Trains on {@code train} for {@code epochs} (batch 64, Adam from 1e-3, data order from {@code seed}) and records the
     * accuracy on {@code test} in the provenance.
     */
    public static MnistClassifier train(ImageDataset train, ImageDataset test, int epochs, long seed) {
        MnistClassifier c = untrained(seed);
        int n = train.size();
        int batch = BATCH;
        int[] labels = train.labels();
        Random order = new Random(seed);
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] perm = EpochOrder.permutation(n, order);
            for (int from = 0; from + batch <= n; from += batch) {
                int[] rows = Arrays.copyOfRange(perm, from, from + batch);
                INDArray x = Nd4j.pullRows(train.images(), 1, rows).reshape('c', batch, 1, 28, 28);
                INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
                for (int i = 0; i < batch; i++) {
                    y.putScalar(i, labels[rows[i]], 1f);
                }
                c.net.fit(new DataSet(x, y));
                if ((from / batch) % 100 == 0) {
                    System.gc();
                }
            }
            LOG.info("classifier epoch {}/{}: test accuracy {}", epoch, epochs, c.accuracy(test));
        }
        c.provenance.put("seed", seed);
        c.provenance.put("epochs", epochs);
        c.provenance.put("train_images", n);
        c.provenance.put("test_accuracy", c.accuracy(test));
        c.provenance.put("train_seconds", (System.nanoTime() - start) / 1e9);
        return c;
    }

    /** The shipped MNIST classifier. */
    public static MnistClassifier standard() {
        return standard("mnist");
    }

    /** The shipped classifier of {@code dataset}: {@code mnist} or {@code fashion_mnist}. */
    public static MnistClassifier standard(String dataset) {
        String resource = switch (dataset) {
            case "mnist" -> RESOURCE;
            case "fashion_mnist" -> FASHION_RESOURCE;
            default -> throw new IllegalArgumentException("no shipped classifier for " + dataset
                    + "; expected mnist or fashion_mnist");
        };
        try (InputStream in = MnistClassifier.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            Path tmp = Files.createTempFile("mnist-lenet", ".zip");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** Loads a classifier written by {@link #save}. */
    public static MnistClassifier load(Path file) throws InvalidModelFileException {
        ModelMetadata md = ModelFiles.readMetadata(file);
        if (!(ModelFiles.readNetwork(file, ROLE) instanceof MultiLayerNetwork net)) {
            throw new InvalidModelFileException(file, "holds a ComputationGraph; a classifier is a MultiLayerNetwork");
        }
        return new MnistClassifier(net, new LinkedHashMap<>(md.provenance()));
    }

    /** Writes the network and its provenance (seed, epochs, test accuracy). */
    public void save(Path file) throws IOException {
        ModelFiles.save(net, file, new ModelMetadata(ROLE, "lenet5", 0, new ImageShape(1, 28, 28),
                ModelMetadata.FORMAT_VERSION, provenance));
    }

    /** How it was trained (seed, epochs, test accuracy). */
    public Map<String, Object> provenance() {
        return Map.copyOf(provenance);
    }

    /** Class probabilities {@code [n, 10]} of images {@code [n, 1, 28, 28]} (or {@code [n, 784]}) in [-1, 1]. */
    public INDArray probabilities(INDArray images) {
        return net.output(nchw(images), false);
    }

    /** The 500 penultimate activations of each image, {@code [n, 500]}. */
    public INDArray features(INDArray images) {
        List<INDArray> acts = net.feedForwardToLayer(FEATURE_LAYER, nchw(images), false);
        return acts.get(FEATURE_LAYER + 1);
    }

    /**
     * The features ({@link #features}) and class probabilities ({@link #probabilities}) of {@code images} in one
     * pass: {@code [n, 500]} and {@code [n, 10]}.
     */
    public synchronized List<INDArray> featuresAndProbabilities(INDArray images) {
        if (inference == null) {
            inference = new Inference(net);
        }
        return inference.outputs(nchw(images), FEATURE_LAYER);
    }

    private Inference inference;

    /** Share of {@code data}'s images classified as their label. */
    public double accuracy(ImageDataset data) {
        int[] labels = data.labels();
        int correct = 0;
        for (int from = 0; from < data.size(); from += 1000) {
            int to = Math.min(data.size(), from + 1000);
            INDArray p = probabilities(data.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            INDArray predicted = p.argMax(1);
            for (int i = from; i < to; i++) {
                if (predicted.getInt(i - from) == labels[i]) {
                    correct++;
                }
            }
        }
        return (double) correct / data.size();
    }

    private static INDArray nchw(INDArray images) {
        return images.rank() == 4 ? images : images.reshape('c', images.size(0), 1, 28, 28);
    }
}

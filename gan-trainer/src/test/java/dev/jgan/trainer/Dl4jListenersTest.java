package dev.jgan.trainer;

import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingStart;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jGenerator;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsInitializationConfiguration;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;

/** DL4J TrainingListeners attached to the wrapped networks hear every optimizer step, with its loss as the score. */
class Dl4jListenersTest {

    /** What a DL4J listener saw: iteration and score. */
    static final class Heard extends BaseTrainingListener {
        final List<Integer> iterations = new ArrayList<>();
        final List<Double> scores = new ArrayList<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            iterations.add(iteration);
            scores.add(model.score());
        }
    }

    /**
     * Trains {@code steps} steps of a small dense GAN after {@code attach} has set listeners on the wrapped G and D
     * ({@code model()} of each); returns the trainer's step events.
     */
    private static List<StepEvent> train(int steps, long seed,
                                         java.util.function.BiConsumer<Model, Model> attach) throws Exception {
        return train(steps, seed, DENSE, attach);
    }

    private static final String DENSE = """
            "generator": {"type": "dense", "hidden": [32]},
            "discriminator": {"type": "dense", "hidden": [32, 16]},""";

    private static List<StepEvent> train(int steps, long seed, String networks,
                                         java.util.function.BiConsumer<Model, Model> attach) throws Exception {
        GanConfig c = TestSupport.config("""
                {"seed": %d, "latent": {"size": 16}, "data": {"limit": 320},
                 %s
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": %d}}
                """.formatted(seed, networks, steps));
        ImageDataset data = IdxDatasets.load(c.data());
        var g = GanRun.buildGenerator(c, NetworkRegistry.global(), data.shape());
        var d = GanRun.buildDiscriminator(c, NetworkRegistry.global(), data.shape());
        attach.accept(((Dl4jGenerator) g).model(), ((Dl4jDiscriminator) d).model());
        var t = AdversarialTrainer.from(c, g, d);
        List<StepEvent> events = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                events.add(e);
            }
        });
        t.train(data);
        return events;
    }

    @Test
    void withAnEmaOnStartGivesTheTrainedGeneratorTheAveragedOneAndTheDiscriminatorAsDl4jNetworks() throws Exception {
        GanConfig c = TestSupport.config("""
                {"seed": 5, "latent": {"size": 16}, "data": {"limit": 320},
                 %s
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": 6, "ema_decay": 0.9}}
                """.formatted(DENSE));
        ImageDataset data = IdxDatasets.load(c.data());
        var g = GanRun.buildGenerator(c, NetworkRegistry.global(), data.shape());
        var d = GanRun.buildDiscriminator(c, NetworkRegistry.global(), data.shape());
        var t = AdversarialTrainer.from(c, g, d);
        Heard onG = new Heard();
        Heard onD = new Heard();
        List<TrainingStart> starts = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onStart(TrainingStart s) {
                starts.add(s);
                ((Dl4jGenerator) s.generator()).model().setListeners(onG);       // the network being trained
                ((Dl4jDiscriminator) s.discriminator()).model().setListeners(onD);
            }
        });
        t.train(data);

        assertThat(starts).hasSize(1);
        TrainingStart s = starts.get(0);
        assertThat(s.averaged()).isTrue();
        assertThat(s.generator()).isSameAs(g);
        assertThat(onG.iterations).hasSize(6);
        assertThat(onD.iterations).hasSize(6);
        // the averaged generator as a DL4J network of its own: the trained network's copy with the averaged weights
        MultiLayerNetwork averaged = ((MultiLayerNetwork) ((Dl4jGenerator) s.generator()).model()).clone();
        averaged.setParams(s.sampling().params());
        assertThat(s.sampling().params()).isNotEqualTo(g.params());
        INDArray z = c.latent().sample(4, Nd4j.getRandomFactory().getNewRandomInstance(9));
        INDArray viaView = s.sampling().generate(z);
        INDArray viaCopy = averaged.output(z, false).reshape(viaView.shape());
        assertThat(viaCopy.equalsWithEps(viaView, 1e-5)).isTrue();
        assertThat(g.generate(z).equalsWithEps(viaView, 1e-3)).isFalse();
    }

    @Test
    void listenersOnTheWrappedNetworksHearEachStepWithItsLoss() throws Exception {
        Heard onG = new Heard();
        Heard onD = new Heard();
        List<StepEvent> steps = train(6, 3, (g, d) -> {
            g.setListeners(onG);
            d.setListeners(onD);
        });

        assertThat(steps).hasSize(6);
        assertThat(onD.iterations).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(onG.iterations).containsExactly(0, 1, 2, 3, 4, 5);
        for (int i = 0; i < 6; i++) {
            assertThat(onD.scores.get(i)).isEqualTo(steps.get(i).discriminatorLoss());
            assertThat(onG.scores.get(i)).isEqualTo(steps.get(i).generatorLoss());
        }
    }

    /**
     * The README's StatsListener: score, learning rates, parameters, speed and memory; gradient and update statistics
     * off, since the wrapped networks do not fill DL4J's per-variable {@code gradient()} that those read.
     */
    static StatsListener uiListener(InMemoryStatsStorage storage, String worker) {
        var stats = new DefaultStatsUpdateConfiguration.Builder().reportingFrequency(1)
                .collectHistogramsGradients(false).collectMeanGradients(false).collectStdevGradients(false)
                .collectMeanMagnitudesGradients(false).collectHistogramsUpdates(false).collectMeanUpdates(false)
                .collectStdevUpdates(false).collectMeanMagnitudesUpdates(false).build();
        return new StatsListener(storage, new DefaultStatsInitializationConfiguration(true, true, true), stats,
                "gan", worker); // one session, a worker per network: the UI shows G and D side by side
    }

    @Test
    void dl4jStatsListenerRecordsEachStepForTheTrainingUi() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage(); // UIServer.getInstance().attach(storage) shows it
        List<StepEvent> steps = train(5, 4, (g, d) -> {
            g.setListeners(uiListener(storage, "generator"));
            d.setListeners(uiListener(storage, "discriminator"));
        });

        assertThat(storage.listSessionIDs()).containsExactly("gan");
        String session = "gan";
        assertThat(storage.listWorkerIDsForSession(session)).containsExactlyInAnyOrder("generator", "discriminator");
        for (String worker : List.of("generator", "discriminator")) {
            List<Persistable> updates = storage.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, 0);
            assertThat(updates).as(worker).hasSize(5);
            for (int i = 0; i < 5; i++) {
                StatsReport r = (StatsReport) updates.get(i);
                assertThat(r.getIterationCount()).isEqualTo(i);
                assertThat(r.getScore()).isEqualTo(worker.equals("generator")
                        ? steps.get(i).generatorLoss() : steps.get(i).discriminatorLoss());
                assertThat(r.getLearningRates()).as("learning rates per parameter").isNotEmpty();
                assertThat(r.getHistograms(org.deeplearning4j.ui.model.stats.api.StatsType.Parameters))
                        .as("parameter histograms").isNotEmpty();
            }
        }
    }

    @Test
    void dl4jStatsListenerRecordsEachStepOfComputationGraphs() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        List<StepEvent> steps = train(2, 5, """
                "generator": {"type": "resnet", "channels": 8},
                "discriminator": {"type": "resnet", "channels": 8},""", (g, d) -> {
                    g.setListeners(uiListener(storage, "generator"));
                    d.setListeners(uiListener(storage, "discriminator"));
                });

        for (String worker : List.of("generator", "discriminator")) {
            List<Persistable> updates = storage.getAllUpdatesAfter("gan", StatsListener.TYPE_ID, worker, 0);
            assertThat(updates).as(worker).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(((StatsReport) updates.get(i)).getScore()).isEqualTo(worker.equals("generator")
                        ? steps.get(i).generatorLoss() : steps.get(i).discriminatorLoss());
            }
        }
    }
}

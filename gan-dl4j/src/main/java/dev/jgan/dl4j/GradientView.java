package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.ParameterGradient;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.function.Supplier;

/**
 * Runs a pass that overwrites a network's whole gradient view so that the view ends as {@link ParameterGradient}
 * asks: the pending values are saved first and then added back ({@code ADD}) or restored ({@code SKIP}).
 */
final class GradientView {

    private final Model net;
    private INDArray saved;

    GradientView(Model net) {
        this.net = net;
    }

    /** Runs {@code pass}, which overwrites the gradient view, and keeps or merges what the view held before. */
    <T> T around(ParameterGradient params, Supplier<T> pass) {
        if (params == ParameterGradient.WRITE) {
            return pass.get();
        }
        INDArray view = net.getGradientsViewArray();
        if (saved == null) {
            saved = Nd4j.createUninitialized(view.dataType(), view.shape());
        }
        saved.assign(view);
        T result = pass.get();
        if (params == ParameterGradient.ADD) {
            view.addi(saved);
        } else {
            view.assign(saved);
        }
        return result;
    }
}

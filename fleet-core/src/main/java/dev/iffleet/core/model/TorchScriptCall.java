package dev.iffleet.core.model;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One loaded TorchScript module. Predictors are not thread-safe, so a call borrows one from a pool and
 * gives it back: as many predictors as concurrent callers, however often the caller threads come and go
 * (a per-thread predictor would leak one with every short-lived pool thread). Outputs belong to the
 * inputs' NDManager (NoopTranslator), which the caller closes per job.
 */
final class TorchScriptCall implements ComponentCall {

    private final String name;
    private final ZooModel<NDList, NDList> model;
    private final DataType dtype;
    private final List<Predictor<NDList, NDList>> predictors = new CopyOnWriteArrayList<>();
    private final Queue<Predictor<NDList, NDList>> idle = new ConcurrentLinkedQueue<>();

    TorchScriptCall(String name, ZooModel<NDList, NDList> model, DataType dtype) {
        this.name = name;
        this.model = model;
        this.dtype = dtype;
    }

    /** Runs the module; float inputs are cast to the module's dtype and the first output comes back as float32. */
    @Override
    public NDArray call(NDList inputs) {
        NDList cast = new NDList(inputs.size());
        for (NDArray in : inputs) {
            cast.add(in.getDataType().isFloating() && in.getDataType() != dtype ? in.toType(dtype, false) : in);
        }
        Predictor<NDList, NDList> predictor = borrow();
        try {
            NDArray out = predictor.predict(cast).singletonOrThrow();
            return out.getDataType() == DataType.FLOAT32 ? out : out.toType(DataType.FLOAT32, false);
        } catch (TranslateException e) {
            throw new ModelUnavailableException("component '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            idle.offer(predictor);
        }
    }

    @Override
    public int predictorCount() {
        return predictors.size();
    }

    private Predictor<NDList, NDList> borrow() {
        Predictor<NDList, NDList> p = idle.poll();
        if (p == null) {
            p = model.newPredictor();
            predictors.add(p);
        }
        return p;
    }

    @Override
    public void close() {
        predictors.forEach(Predictor::close);
        predictors.clear();
        idle.clear();
        model.close();
    }
}

package dev.iffleet.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * One component on the simulated backend. The output's shape is learnt from the real (small) module: it runs once
 * per new input signature and the shape is cached. When every input shares its leading (batch) dimension and the
 * output has it too, the signature leaves the batch out, so a new batch size costs no real call.
 */
final class SimulatedCall implements ComponentCall {

    private final String name;
    private final CostProfile.Curve cost;
    private final Supplier<ComponentCall> loader;
    private final Lock device;
    private final Map<String, Learned> shapes = new ConcurrentHashMap<>();
    private final AtomicInteger realCalls = new AtomicInteger();
    private volatile ComponentCall real;

    /** The output shape seen for a signature; {@code batched}: its dim 0 is the inputs' batch. */
    private record Learned(Shape shape, boolean batched) {}

    SimulatedCall(String name, CostProfile.Curve cost, Supplier<ComponentCall> loader, Lock device) {
        this.name = name;
        this.cost = cost;
        this.loader = loader;
        this.device = device;
    }

    @Override
    public NDArray call(NDList inputs) {
        long batch = batchOf(inputs);
        Shape out = outputShape(inputs, batch);
        // the profile's batch is the first input's leading dimension, shared by the other inputs or not
        Shape first = inputs.get(0).getShape();
        int costBatch = first.dimension() == 0 ? 1 : (int) Math.max(1, first.get(0));
        long nanos = Math.round(cost.ms(costBatch) * 1_000_000);
        device.lock();
        try {
            sleepAtLeast(nanos);
        } finally {
            device.unlock();
        }
        return inputs.get(0).getManager().zeros(out, DataType.FLOAT32);
    }

    /** How many times the real module ran (to learn shapes). */
    int realCalls() {
        return realCalls.get();
    }

    @Override
    public int predictorCount() {
        ComponentCall r = real;
        return r == null ? 0 : r.predictorCount();
    }

    @Override
    public void close() {
        ComponentCall r = real;
        if (r != null) {
            r.close();
        }
    }

    /** The common leading dimension of the inputs, or -1 when they have none. */
    static long batchOf(NDList inputs) {
        long b = -1;
        for (NDArray in : inputs) {
            Shape s = in.getShape();
            if (s.dimension() == 0 || (b >= 0 && s.get(0) != b)) {
                return -1;
            }
            b = s.get(0);
        }
        return b;
    }

    private Shape outputShape(NDList inputs, long batch) {
        if (batch > 0) {
            Learned l = shapes.get(signature(inputs, true));
            if (l != null && l.batched()) {
                return withBatch(l.shape(), batch);
            }
        }
        String exact = signature(inputs, false);
        Learned l = shapes.computeIfAbsent(exact, k -> learn(inputs, batch));
        if (batch > 0 && l.batched()) {
            shapes.putIfAbsent(signature(inputs, true), l);
        }
        return l.shape();
    }

    private Learned learn(NDList inputs, long batch) {
        realCalls.incrementAndGet();
        NDArray out = realCall().call(inputs);
        try {
            Shape s = out.getShape();
            return new Learned(s, batch > 0 && s.dimension() > 0 && s.get(0) == batch);
        } finally {
            out.close();
        }
    }

    private ComponentCall realCall() {
        ComponentCall r = real;
        if (r == null) {
            synchronized (this) {
                if (real == null) {
                    real = loader.get();
                }
                r = real;
            }
        }
        return r;
    }

    private static String signature(NDList inputs, boolean dropBatch) {
        StringBuilder sb = new StringBuilder();
        for (NDArray in : inputs) {
            long[] dims = in.getShape().getShape();
            sb.append(in.getDataType()).append('(');
            for (int i = dropBatch ? 1 : 0; i < dims.length; i++) {
                sb.append(dims[i]).append(',');
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static Shape withBatch(Shape s, long batch) {
        long[] dims = s.getShape().clone();
        dims[0] = batch;
        return new Shape(dims);
    }

    /** Thread.sleep may wake early on some platforms; the profile's time is a floor. */
    private void sleepAtLeast(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelUnavailableException("simulated call of '" + name + "' interrupted", e);
            }
        }
    }
}

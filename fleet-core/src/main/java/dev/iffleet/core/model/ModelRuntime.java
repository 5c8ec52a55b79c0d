package dev.iffleet.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.iffleet.core.model.PackManifest.ComponentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a pack's TorchScript components with DJL's PyTorch engine, offline, on one device and dtype; its
 * {@link ModelBackend} decides how their calls run (the modules themselves, or a simulation for load tests).
 */
public final class ModelRuntime implements AutoCloseable {

    private static final String NATIVE_HINT = "add ai.djl.pytorch:pytorch-native-cpu:2.5.1 (classifier linux-x86_64) "
            + "to the runtime classpath, or build with -Pcuda for pytorch-native-cu124";

    private final ModelPack pack;
    private final RuntimeSettings settings;
    private final Device device;
    private final DataType dtype;
    private final ModelBackend backend;
    private final Map<String, Component> loaded = new ConcurrentHashMap<>();
    private final Map<String, TextTokenizer> tokenizers = new ConcurrentHashMap<>();

    private ModelRuntime(ModelPack pack, RuntimeSettings settings, ModelBackend backend) {
        this.pack = pack;
        this.settings = settings;
        this.backend = backend;
        this.device = settings.djlDevice();
        this.dtype = settings.djlDtype();
    }

    /** Starts the PyTorch engine (never downloading anything) and checks the device; fails fast with a hint. */
    public static ModelRuntime open(ModelPack pack, RuntimeSettings settings) {
        return open(pack, settings, new TorchScriptBackend());
    }

    /** As {@link #open(ModelPack, RuntimeSettings)}, with the given backend (see {@link ModelBackend#named}). */
    public static ModelRuntime open(ModelPack pack, RuntimeSettings settings, ModelBackend backend) {
        System.setProperty("ai.djl.offline", "true");
        if (settings.threads() > 0) {
            // read once at engine start, so they must be set before the first Engine call
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.threads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelUnavailableException("PyTorch engine unavailable (" + e.getMessage() + "): " + NATIVE_HINT, e);
        }
        ModelRuntime runtime = new ModelRuntime(pack, settings, backend);
        if (runtime.device.isGpu() && engine.getGpuCount() <= runtime.device.getDeviceId()) {
            throw new ModelUnavailableException("device " + settings.device() + " requested but libtorch sees "
                    + engine.getGpuCount() + " GPU(s); " + NATIVE_HINT);
        }
        backend.start(pack);
        return runtime;
    }

    public ModelPack pack() {
        return pack;
    }

    /** The backend's name ({@code torchscript} or {@code simulated}), for worker status and job records. */
    public String backend() {
        return backend.name();
    }

    /** Whether calls only simulate the model (load tests): workers must say so in everything they report. */
    public boolean simulated() {
        return ModelBackend.SIMULATED.equals(backend.name());
    }

    public RuntimeSettings settings() {
        return settings;
    }

    /** A new NDManager on this runtime's device: open one per job and close it when the job is done. */
    public NDManager newJobManager() {
        return NDManager.newBaseManager(device, "PyTorch");
    }

    /** The named component, loaded on first use. */
    public Component component(String name) {
        return loaded.computeIfAbsent(name, this::load);
    }

    /** The named tokenizer of the pack, loaded on first use. */
    public TextTokenizer tokenizer(String name) {
        return tokenizers.computeIfAbsent(name, n -> TextTokenizer.load(pack, n));
    }

    private Component load(String name) {
        ComponentSpec spec = pack.component(name);
        return new Component(name, backend.open(name, () -> loadModule(name, spec)));
    }

    private ComponentCall loadModule(String name, ComponentSpec spec) {
        Path file = fileFor(name, spec);
        if (device.isGpu()) {
            checkFits(name, file);
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(file)
                .optEngine("PyTorch")
                .optDevice(device)
                .optOption("mapLocation", "true")
                .optTranslator(new NoopTranslator())
                .build();
        try {
            ZooModel<NDList, NDList> model = criteria.loadModel();
            return new TorchScriptCall(name, model, dtype);
        } catch (Exception e) {
            throw new ModelUnavailableException("cannot load component '" + name + "' from " + file + ": " + e.getMessage(), e);
        }
    }

    /** A worker whose model cannot fit its GPU refuses to start, saying how much it needs and how much is free. */
    private void checkFits(String name, Path file) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (java.io.IOException e) {
            throw new ModelUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        java.lang.management.MemoryUsage gpu;
        try {
            gpu = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return; // no cudart for the probe: libtorch itself will still fail loudly if it runs out
        }
        GpuFit.check(name, file.getFileName().toString(), bytes, settings.device(), gpu.getMax() - gpu.getUsed(),
                gpu.getMax());
    }

    private Path fileFor(String name, ComponentSpec spec) {
        if (dtype == DataType.FLOAT32) {
            return pack.resolve(spec.file());
        }
        String key = dtype.name().toLowerCase(java.util.Locale.ROOT);
        String f = spec.files() == null ? null : spec.files().get(key);
        if (f == null || !Files.isRegularFile(pack.resolve(f))) {
            throw new ModelUnavailableException("model pack '" + pack.name() + "' has no " + key + " file for component '"
                    + name + "' (add \"files\": {\"" + key + "\": ...} to pack.json or run with dtype float32)");
        }
        return pack.resolve(f);
    }

    @Override
    public void close() {
        loaded.values().forEach(Component::close);
        loaded.clear();
        tokenizers.values().forEach(TextTokenizer::close);
        tokenizers.clear();
        backend.close();
    }
}

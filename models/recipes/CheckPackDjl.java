// Checks a model pack the way the Java runtime loads it: DJL 0.33 HuggingFace
// tokenizers (Rust tokenizers) and DJL's PyTorch engine (libtorch 2.5.1, CPU).
//
// Not part of any Maven module. Run it as a single-file program with the DJL jars
// from the local Maven repository on the class path, e.g.
//
//   R=~/.m2/repository
//   CP=$R/ai/djl/api/0.33.0/api-0.33.0.jar:$R/ai/djl/huggingface/tokenizers/0.33.0/tokenizers-0.33.0.jar
//   CP=$CP:$R/ai/djl/pytorch/pytorch-engine/0.33.0/pytorch-engine-0.33.0.jar
//   CP=$CP:$R/ai/djl/pytorch/pytorch-jni/2.5.1-0.33.0/pytorch-jni-2.5.1-0.33.0.jar
//   CP=$CP:$R/ai/djl/pytorch/pytorch-native-cpu/2.5.1/pytorch-native-cpu-2.5.1-linux-x86_64.jar
//   CP=$CP:$R/com/google/code/gson/gson/2.11.0/gson-2.11.0.jar:$R/net/java/dev/jna/jna/5.15.0/jna-5.15.0.jar
//   CP=$CP:$R/org/apache/commons/commons-compress/1.21/commons-compress-1.21.jar
//   CP=$CP:$R/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
//   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp "$CP" \
//       models/recipes/CheckPackDjl.java models/tiny
//
// It (1) encodes the prompts of tokenizer/expected_ids.json with both tokenizers
// and compares the ids with those of the recipe's pure-Python re-implementation,
// (2) loads every component of pack.json, runs it on two shapes, checks the
// output shapes and prints per-call times. Exits non-zero on any mismatch.

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;

public class CheckPackDjl {

    static int failures;

    public static void main(String[] args) throws Exception {
        Path pack = Paths.get(args.length > 0 ? args[0] : "models/tiny");
        JsonObject manifest = JsonParser.parseString(Files.readString(pack.resolve("pack.json")))
                .getAsJsonObject();
        JsonObject expected = JsonParser.parseString(
                Files.readString(pack.resolve("tokenizer/expected_ids.json"))).getAsJsonObject();

        JsonObject toks = manifest.getAsJsonObject("tokenizers");
        for (String t : toks.keySet()) {
            Path file = pack.resolve(toks.getAsJsonObject(t).get("file").getAsString());
            Map<String, String> opts = Map.of("padding", "false", "truncation", "false");
            try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(file, opts)) {
                for (Map.Entry<String, JsonElement> e : expected.getAsJsonObject(t).entrySet()) {
                    Encoding enc = tok.encode(e.getKey());
                    long[] want = toLongs(e.getValue().getAsJsonArray());
                    boolean ok = Arrays.equals(enc.getIds(), want);
                    if (!ok) failures++;
                    System.out.printf("%s %-5s %-45s %s %s%n", ok ? "OK  " : "FAIL", t,
                            '"' + e.getKey() + '"', Arrays.toString(enc.getIds()),
                            ok ? "" : "expected " + Arrays.toString(want));
                }
            }
        }

        JsonObject comps = manifest.getAsJsonObject("components");
        try (NDManager m = NDManager.newBaseManager()) {
            for (String name : comps.keySet()) {
                JsonObject c = comps.getAsJsonObject(name);
                Criteria<NDList, NDList> criteria = Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(pack.resolve(c.get("file").getAsString()))
                        .optEngine("PyTorch")
                        .optTranslator(new NoopTranslator())
                        .build();
                try (ZooModel<NDList, NDList> model = criteria.loadModel();
                        Predictor<NDList, NDList> pred = model.newPredictor()) {
                    // default size and a second, non-square one (and another batch)
                    int[][] dims = {{2, 64, 64, 256, 256}, {4, 64, 48, 128, 96}};
                    for (int[] d : dims) {
                        Map<String, Long> sym = Map.of("B", (long) Math.max(1, d[0] / 2),
                                "2B", (long) d[0], "H", (long) (name.startsWith("stage1") ? d[1] : d[3]),
                                "W", (long) (name.startsWith("stage1") ? d[2] : d[4]),
                                "h", (long) d[3], "w", (long) d[4]);
                        NDList in = new NDList();
                        for (JsonElement ie : c.getAsJsonArray("inputs")) {
                            JsonObject io = ie.getAsJsonObject();
                            Shape shape = shape(io.getAsJsonArray("shape"), sym);
                            String n = io.get("name").getAsString();
                            if (io.get("dtype").getAsString().equals("int64")) {
                                long v = n.equals("attention_mask") ? 1 : n.equals("input_ids") ? 5 : 500;
                                in.add(m.full(shape, v, DataType.INT64));
                            } else {
                                in.add(m.randomNormal(shape));
                            }
                        }
                        Shape want = shape(c.getAsJsonArray("outputs").get(0).getAsJsonObject()
                                .getAsJsonArray("shape"), sym);
                        NDList out = null;
                        for (int i = 0; i < 3; i++) {
                            out = pred.predict(in);
                        }
                        long[] ns = new long[10];
                        for (int i = 0; i < ns.length; i++) {
                            long t0 = System.nanoTime();
                            pred.predict(in).close();
                            ns[i] = System.nanoTime() - t0;
                        }
                        Arrays.sort(ns);
                        NDArray y = out.get(0);
                        boolean ok = y.getShape().equals(want) && y.getDataType() == DataType.FLOAT32;
                        if (!ok) failures++;
                        System.out.printf("%s %-16s in0 %-18s out %-20s median %6.1f ms, min %6.1f ms%n",
                                ok ? "OK  " : "FAIL", name, in.get(0).getShape(), y.getShape(),
                                ns[ns.length / 2] / 1e6, ns[0] / 1e6);
                    }
                }
            }
        }
        System.out.println(failures == 0 ? "pack OK" : failures + " failure(s)");
        System.exit(failures == 0 ? 0 : 1);
    }

    static Shape shape(JsonArray dims, Map<String, Long> sym) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            JsonElement e = dims.get(i);
            String v = e.getAsString();
            if (sym.containsKey(v)) {
                s[i] = sym.get(v);
            } else if (v.startsWith("4") && sym.containsKey(v.substring(1))) {
                s[i] = 4 * sym.get(v.substring(1));
            } else {
                s[i] = e.getAsLong();
            }
        }
        return new Shape(s);
    }

    static long[] toLongs(JsonArray a) {
        long[] r = new long[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsLong();
        }
        return r;
    }
}

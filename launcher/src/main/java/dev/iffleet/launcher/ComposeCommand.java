package dev.iffleet.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./fleet compose [--replicas stage1=4,sr=2] [--gpus stage1=1,2,3,4]}: prints a docker-compose file with that
 * many replicas per stage, one GPU each (see {@link ComposeFile}); with {@code --cpu}, the override that runs that
 * file's workers on the CPU instead ({@link ComposeCpuOverride}).
 */
final class ComposeCommand {

    private ComposeCommand() {}

    static int run(String[] args, PrintStream out) {
        Map<Service, Integer> replicas = new EnumMap<>(Service.class);
        Map<Service, List<String>> gpus = new EnumMap<>(Service.class);
        boolean cpu = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cpu")) {
                cpu = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[++i];
            switch (args[i - 1]) {
                case "--replicas" -> {
                    for (String pair : v.split(",")) {
                        String[] kv = pair.split("=", 2);
                        Service s = worker(kv[0], v);
                        int n = kv.length < 2 || !kv[1].trim().matches("\\d+") ? 0 : Integer.parseInt(kv[1].trim());
                        if (n < 1) {
                            throw new IllegalArgumentException("--replicas needs stage=N with N >= 1, got '" + pair + "'");
                        }
                        replicas.put(s, n);
                    }
                }
                case "--gpus" -> {
                    Service current = null;
                    for (String item : v.split(",")) {
                        int eq = item.indexOf('=');
                        if (eq >= 0) {
                            current = worker(item.substring(0, eq), v);
                            gpus.put(current, new ArrayList<>());
                            item = item.substring(eq + 1);
                        } else if (current == null) {
                            throw new IllegalArgumentException("--gpus needs stage=id,id,..., got '" + v + "'");
                        }
                        gpus.get(current).add(item.trim());
                    }
                }
                default -> throw new IllegalArgumentException("compose takes --replicas, --gpus and --cpu, got " + args[i - 1]);
            }
        }
        if (cpu && !gpus.isEmpty()) {
            throw new IllegalArgumentException("--cpu writes the override without GPUs: --gpus does not apply");
        }
        out.print(cpu ? ComposeCpuOverride.render(replicas) : ComposeFile.render(replicas, gpus));
        return 0;
    }

    private static Service worker(String name, String value) {
        Service s = Service.of(name.trim());
        if (!s.isWorker()) {
            throw new IllegalArgumentException("only worker stages scale here (one gateway), got '" + value + "'");
        }
        return s;
    }
}

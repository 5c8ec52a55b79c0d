#!/usr/bin/env python3
"""bench/run gpu: per stage, IF-shaped modules with random weights (float16) exported by the project's own
exporter (models/tools/export_deepfloyd_if: trace, shape-constant fix, sync check), then timed in PyTorch
(torch.jit.load of the same file) and through the project (GpuBench: ModelRuntime, Component, Stage1Sampler).

  python3 bench/gpu_bench.py --work DIR --out results.json [--stages stage1,sr,upscale,encode] [--scale full|tiny]
                             [--steps 20] [--iters 10] [--java "java -cp ..."]

Needs torch with CUDA, diffusers (its source tree on PYTHONPATH is enough) and transformers. Copies and syncs
are counted when the process runs with the cudacount shim (bench/native/cudacount.c) in LD_PRELOAD and
CUDACOUNT_LIB; the Java bench inherits both. Prints a table and writes JSON; asserts nothing.
"""
import argparse
import ctypes
import gc
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "models", "tools"))
from export_deepfloyd_if import syncs, wrappers  # noqa: E402
import gpu_configs  # noqa: E402  (bench/ is this script's folder)

FIXTURE = os.path.join(ROOT, "models", "fixtures", "if-export-tiny")
COUNTER_NAMES = ["dtoh", "htod", "dtod", "memcpy_other", "stream_syncs", "device_syncs", "event_syncs"]


class Counters:
    """The cudacount shim through ctypes (the same library GpuBench reads through JNA)."""

    def __init__(self):
        path = os.environ.get("CUDACOUNT_LIB")
        self.lib = ctypes.CDLL(path) if path else None

    def reset(self):
        if self.lib:
            self.lib.cc_reset()

    def read(self, per):
        if not self.lib:
            return {k: -1.0 for k in COUNTER_NAMES + ["syncs"]}
        buf = (ctypes.c_long * len(COUNTER_NAMES))()
        self.lib.cc_read(buf)
        out = {k: buf[i] / per for i, k in enumerate(COUNTER_NAMES)}
        out["syncs"] = (buf[4] + buf[5] + buf[6]) / per
        return out


def make_input(spec, dev):
    if spec["dtype"] == "int64":
        return torch.full(spec["shape"], spec.get("fill", 0), dtype=torch.int64, device=dev)
    return torch.randn(spec["shape"], device=dev)


def time_call(module, inputs, iters, warmup, counters):
    with torch.no_grad():
        t0 = time.perf_counter()
        for _ in range(warmup):
            module(*inputs)
            torch.cuda.synchronize()
        warm = time.perf_counter() - t0
        counters.reset()
        t0 = time.perf_counter()
        for _ in range(iters):
            out = module(*inputs)
        counts = counters.read(iters)
        torch.cuda.synchronize()
        ms = (time.perf_counter() - t0) * 1000 / iters
    del out
    return {"ms": ms, "warmup_s": warm, "per_call": counts}


def python_sampler(unet, s, counters, runs):
    """IFPipeline's loop (diffusers 0.40) with its DDPMScheduler, on the traced file: PyTorch's own loop cost."""
    from diffusers import DDPMScheduler

    steps, size, width, g = s["steps"], s["size"], s["width"], s["guidance"]
    timesteps = [round(999 * (steps - 1 - i) / max(1, steps - 1)) for i in range(steps)]
    out = []
    for jobs in s["jobs"]:
        sched = DDPMScheduler(beta_schedule="squaredcos_cap_v2", thresholding=True, dynamic_thresholding_ratio=0.95,
                              sample_max_value=1.5, variance_type="learned_range", clip_sample=True)
        emb = torch.randn(2 * jobs, 77, width, device="cuda")
        best, counts = None, None
        for run in range(runs + 1):
            sched.set_timesteps(timesteps=timesteps, device="cuda")
            gen = torch.Generator("cuda").manual_seed(run)
            x = torch.randn(jobs, 3, size, size, device="cuda", generator=gen)
            torch.cuda.synchronize()
            counters.reset()
            t0 = time.perf_counter()
            with torch.no_grad():
                for t in sched.timesteps:
                    model_input = torch.cat([x] * 2)
                    noise = unet(model_input, t.expand(2 * jobs), emb)
                    uncond, text = noise.chunk(2)
                    uncond, _ = uncond.split(3, dim=1)
                    text, var = text.split(3, dim=1)
                    noise = torch.cat([uncond + g * (text - uncond), var], dim=1)
                    x = sched.step(noise, t, x, generator=gen, return_dict=False)[0]
            c = counters.read(steps)
            torch.cuda.synchronize()
            ms = (time.perf_counter() - t0) * 1000 / steps
            if run > 0 and (best is None or ms < best):
                best, counts = ms, c
        out.append({"jobs": jobs, "ms_per_step": best, "per_step": counts})
    return out


def export_stage(stage, scale, pack, report):
    """Exports the stage's modules into the pack; returns their spec entries for pack.json."""
    entries = {}
    for name, build, example, raw_too in gpu_configs.modules(stage, scale):
        torch.manual_seed(0)
        module = build().eval().cuda()
        params = sum(p.numel() for p in module.parameters())
        dtype = next(module.parameters()).dtype
        module = wrappers_for(name)(module, dtype)
        ex = tuple(x.cuda() for x in example)
        suffix = ".fp16.pt" if dtype == torch.float16 else ".pt"
        path = os.path.join(pack, name + suffix)
        t0 = time.perf_counter()
        fixed, problems = wrappers.export(module, ex, path)
        r = {"params": params, "dtype": str(dtype).replace("torch.", ""), "file_bytes": os.path.getsize(path),
             "export_s": time.perf_counter() - t0, "shape_constants_fixed": fixed, "problems": problems,
             "profiler": syncs.count_cuda_transfers(torch.jit.load(path, map_location="cuda"), ex)}
        entries[name] = name + suffix
        if raw_too:  # the same module as plain torch.jit.trace leaves it: what the fix is worth
            raw = os.path.join(pack, name + ".raw" + suffix)
            torch.jit.save(wrappers.trace(module, ex), raw)
            wrappers.strip_debug_info(raw)
            r["raw_profiler"] = syncs.count_cuda_transfers(torch.jit.load(raw, map_location="cuda"), ex)
            entries[name + "_raw"] = name + ".raw" + suffix
        report[name] = r
        print(f"exported {name}: {params / 1e9:.3f} B params, {r['file_bytes'] / 2**30:.2f} GiB, {fixed} constants "
              f"fixed, problems {problems}, profiler {r['profiler']}"
              + (f", raw {r['raw_profiler']}" if raw_too else ""), flush=True)
        del module
        gc.collect()
        torch.cuda.empty_cache()
    return entries


def wrappers_for(name):
    return {"stage1_unet": wrappers.Unet, "sr_unet": wrappers.UnetWithLabels, "x4_unet": wrappers.UnetWithLabels,
            "vae_decoder": wrappers.VaeDecoder, "t5_encoder": wrappers.T5Encoder,
            "x4_text_encoder": wrappers.ClipEncoder}[name]


def write_pack(pack, files):
    """pack.json from the fixture's (its stages and tokenizers), naming only the files written here."""
    with open(os.path.join(FIXTURE, "pack.json")) as f:
        manifest = json.load(f)
    comps = {}
    for name, file in files.items():
        spec = dict(manifest["components"][name.replace("_raw", "")])
        spec["file"] = file
        spec.pop("files", None)
        comps[name] = spec
    manifest["components"] = comps
    manifest["name"] = "gpu-bench"
    shutil.copytree(os.path.join(FIXTURE, "tokenizer"), os.path.join(pack, "tokenizer"), dirs_exist_ok=True)
    with open(os.path.join(pack, "pack.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def python_reference(stage, spec, pack, files, a, counters):
    out = {"calls": []}
    torch.cuda.reset_peak_memory_stats()
    free0, total = torch.cuda.mem_get_info()
    for call in spec["calls"]:
        if call["component"] not in spec["stages"][stage]["components"]:
            continue
        m = load(pack, files, call["component"])
        inputs = [make_input(s, "cuda") for s in call["inputs"]]
        r = time_call(m, inputs, a.iters, a.warmup, counters)
        r["name"] = call["name"]
        out["calls"].append(r)
    s = spec["stages"][stage].get("sampler")
    if s:
        out["sampler"] = python_sampler(load(pack, files, s["component"]), s, counters, a.runs)
    out["max_allocated_mib"] = torch.cuda.max_memory_allocated() / 2**20
    out["max_reserved_mib"] = torch.cuda.max_memory_reserved() / 2**20
    out["gpu_total_mib"] = total / 2**20
    _cache.clear()
    gc.collect()
    torch.cuda.empty_cache()
    return out


_cache = {}


def load(pack, files, name):
    if name not in _cache:
        _cache[name] = torch.jit.load(os.path.join(pack, files[name]), map_location="cuda")
    return _cache[name]


def java_bench(stage, pack, spec_path, work, a):
    out = os.path.join(work, f"java-{stage}.json")
    cmd = shlex.split(a.java) + [f"pack={pack}", f"spec={spec_path}", f"stage={stage}", f"iters={a.iters}",
                                 f"warmup={a.warmup}", f"runs={a.runs}", f"out={out}"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout[-3000:], p.stderr[-6000:], file=sys.stderr)
        return {"error": f"exit {p.returncode}", "stderr_tail": p.stderr[-2000:]}
    with open(out) as f:
        r = json.load(f)
    r["process_s"] = time.perf_counter() - t0
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", required=True, help="scratch folder for the exported pack (tens of GB at full scale)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--stages", default="stage1,sr,upscale,encode")
    ap.add_argument("--scale", default="full", choices=["full", "tiny"])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--java", default=os.environ.get("GPU_BENCH_JAVA", ""),
                    help="command that starts dev.iffleet.bench.GpuBench; empty: PyTorch side only")
    ap.add_argument("--java-alt", default=os.environ.get("GPU_BENCH_JAVA_ALT", ""),
                    help="a second GpuBench command (another build) for the stage-I sampler, reported as java_alt")
    a = ap.parse_args(argv)
    pack = os.path.join(a.work, "pack")
    os.makedirs(pack, exist_ok=True)
    counters = Counters()
    spec = gpu_configs.bench_spec(a.scale, a.steps)
    spec_path = os.path.join(a.work, "bench.json")
    with open(spec_path, "w") as f:
        json.dump(spec, f, indent=1)
    result = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "scale": a.scale,
              "steps": a.steps, "iters": a.iters, "export": {}, "python": {}, "java": {}, "java_alt": {}}
    files = {}
    for stage in a.stages.split(","):
        files.update(export_stage(stage, a.scale, pack, result["export"]))
        write_pack(pack, files)
        result["python"][stage] = python_reference(stage, spec, pack, files, a, counters)
        print(f"python {stage}: {json.dumps(result['python'][stage])}", flush=True)
        if a.java:
            result["java"][stage] = java_bench(stage, pack, spec_path, a.work, a)
            print(f"java {stage}: {json.dumps(result['java'][stage])}", flush=True)
        if a.java_alt and stage == "stage1":
            result["java_alt"][stage] = java_bench(stage, pack, spec_path, a.work, argparse.Namespace(
                **dict(vars(a), java=a.java_alt)))
            print(f"java_alt {stage}: {json.dumps(result['java_alt'][stage])}", flush=True)
        for name in list(files):  # free the disk for the next stage's files
            if name in spec["stages"][stage]["components"]:
                os.remove(os.path.join(pack, files.pop(name)))
        with open(a.out, "w") as f:
            json.dump(result, f, indent=1)
    import gpu_table

    print(gpu_table.table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

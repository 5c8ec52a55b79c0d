"""Markdown tables from bench/gpu_bench.py's JSON (also: python3 bench/gpu_table.py results.json)."""
import json
import sys


def _f(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def _calls(side):
    return {c["name"]: c for c in side.get("calls", [])} if isinstance(side, dict) else {}


def table(r):
    lines = [f"GPU bench on {r['device']} (torch {r['torch']}, scale {r['scale']}, {r['iters']} timed calls, "
             f"{r['steps']} sampler steps)", "",
             "| call | params | PyTorch ms | project ms | project/PyTorch | D2H per call (project / PyTorch) "
             "| syncs per call (project / PyTorch) |",
             "|---|---|---|---|---|---|---|"]
    for stage, py in r["python"].items():
        java = _calls(r["java"].get(stage, {}))
        for c in py["calls"]:
            j = java.get(c["name"])
            comp = c["name"].split(" ")[0].replace("_raw", "")
            params = r["export"].get(comp, {}).get("params")
            ratio = j["ms"] / c["ms"] if j else None
            lines.append(f"| {c['name']} | {_f(params / 1e9 if params else None, 2)} B | {_f(c['ms'])} | "
                         f"{_f(j['ms'] if j else None)} | {_f(ratio, 2)} | "
                         f"{_f(j['per_call']['dtoh'] if j else None)} / {_f(c['per_call']['dtoh'])} | "
                         f"{_f(j['per_call']['syncs'] if j else None)} / {_f(c['per_call']['syncs'])} |")
    lines += ["", "| stage | project GPU memory (worker, MiB) | PyTorch max reserved (MiB) |", "|---|---|---|"]
    for stage, py in r["python"].items():
        j = r["java"].get(stage, {})
        lines.append(f"| {stage} | {_f(j.get('gpu_worker_mib'), 0)} | {_f(py.get('max_reserved_mib'), 0)} |")
    lines += _sampler(r, "java", "Stage I sampler (guidance 7, 64x64), per step")
    if r.get("java_alt", {}).get("stage1"):
        lines += _sampler(r, "java_alt", "Stage I sampler, second build (java_alt), per step")
    lines += ["", "Batching of the stage-I UNet call alone (throughput vs 1 job):", "",
              "| jobs | PyTorch gain | project gain |", "|---|---|---|"]
    pcalls, jcalls = _calls(r["python"].get("stage1", {})), _calls(r["java"].get("stage1", {}))
    for jobs in (1, 2, 4, 8):
        p, j = pcalls.get(f"stage1_unet x{jobs}"), jcalls.get(f"stage1_unet x{jobs}")
        p1, j1c = pcalls.get("stage1_unet x1"), jcalls.get("stage1_unet x1")
        if p:
            lines.append(f"| {jobs} | {_f(jobs * p1['ms'] / p['ms'], 2)}x | "
                         f"{_f(jobs * j1c['ms'] / j['ms'] if j and j1c else None, 2)}x |")
    return "\n".join(lines)


def _sampler(r, key, title):
    lines = ["", title + ":", "",
              "| jobs | PyTorch loop ms | project loop ms | UNet call ms (project) | project overhead ms (%) "
              "| PyTorch overhead ms | project H2D / D2H / syncs per step | images/s project (gain) |",
              "|---|---|---|---|---|---|---|---|"]
    py1 = r["python"].get("stage1", {})
    j1 = r[key].get("stage1", {})
    jcalls, pcalls = _calls(j1), _calls(py1)
    base = None
    for ps in py1.get("sampler", []):
        jobs = ps["jobs"]
        js = next((s for s in j1.get("sampler", []) if s["jobs"] == jobs), None) if isinstance(j1, dict) else None
        unet_j = jcalls.get(f"stage1_unet x{jobs}", {}).get("ms")
        unet_p = pcalls.get(f"stage1_unet x{jobs}", {}).get("ms")
        over = js["ms_per_step"] - unet_j if js and unet_j else None
        pover = ps["ms_per_step"] - unet_p if unet_p else None
        ips = jobs * 1000 / (js["ms_per_step"] * r["steps"]) if js else None
        base = base or ips
        counts = js["per_step"] if js else None
        lines.append(f"| {jobs} | {_f(ps['ms_per_step'], 2)} | {_f(js['ms_per_step'] if js else None, 2)} | "
                     f"{_f(unet_j, 2)} | {_f(over, 2)} ({_f(100 * over / unet_j if over is not None else None)} %) | "
                     f"{_f(pover, 2)} | "
                     + (f"{counts['htod']:.1f} / {counts['dtoh']:.1f} / {counts['syncs']:.1f}" if counts else "-")
                     + f" | {_f(ips, 2)} ({_f(ips / base if ips and base else None, 2)}x) |")
    return lines


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(table(json.load(f)))

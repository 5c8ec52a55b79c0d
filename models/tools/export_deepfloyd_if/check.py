"""Runs each exported TorchScript file against the Python module it came from and stores reference data."""
import json
import os
import zipfile

import numpy as np
import torch

LIMITS = {"float32": 1e-3, "float16": 2e-2}


def rel_error(ref, got):
    """max |ref - got| / max |ref|: the measure the Java reference test uses too."""
    ref, got = ref.double(), got.double()
    return float((ref - got).abs().max() / ref.abs().max().clamp_min(1e-12))


def baked_devices(path):
    """How often the saved TorchScript code names a CUDA device (tracing on a GPU freezes tensor-creating ops there)."""
    with zipfile.ZipFile(path) as z:
        return sum(z.read(n).decode("utf-8", "replace").count("cuda") for n in z.namelist()
                   if "/code/" in n and n.endswith(".py"))


def run(module, inputs, device):
    with torch.no_grad():
        return module(*[x.to(device) for x in inputs]).float().cpu()


class Checker:
    """Compares, prints and (optionally) writes inputs + Python outputs as little-endian .bin files."""

    def __init__(self, dtype, device, reference_dir=None):
        self.limit = LIMITS[dtype]
        self.device = device
        self.reference_dir = reference_dir
        self.index = {"metric": "max|python - torchscript| / max|python|", "components": {}, "tokenizers": {}}
        self.failures = []
        self.results = {}
        self.transfers = {}

    def component(self, name, python_module, path, cases, dtype=None):
        """cases: list of (inputs, store) at the contract's shapes; the first one is the traced shape."""
        limit = LIMITS[dtype] if dtype else self.limit
        traced = torch.jit.load(path, map_location=self.device)
        errors = []
        for i, (inputs, store) in enumerate(cases):
            ref = run(python_module, inputs, self.device)
            got = run(traced, inputs, self.device)
            shapes = " ".join("x".join(map(str, x.shape)) for x in inputs)
            if ref.shape != got.shape:
                self.failures.append(f"{name} case {i}: shape {tuple(got.shape)} != {tuple(ref.shape)}")
                print(f"  {name:16s} case {i} [{shapes}] SHAPE MISMATCH {tuple(got.shape)} vs {tuple(ref.shape)}")
                continue
            err = rel_error(ref, got)
            errors.append(err)
            ok = err <= limit and bool(torch.isfinite(got).all())
            print(f"  {name:16s} case {i} [{shapes}] -> {'x'.join(map(str, ref.shape))}: rel. error {err:.3e}"
                  f" {'ok' if ok else 'FAIL'}")
            if not ok:
                self.failures.append(f"{name} case {i}: rel. error {err:.3e} > {limit}")
            if store and self.reference_dir:
                self._store(name, i, inputs, ref, err)
        if str(self.device).startswith("cuda") and cases:
            from . import syncs

            n = syncs.count_cuda_transfers(traced, [x.to(self.device) for x in cases[0][0]])
            print(f"  {name:16s} on {self.device}: {n['dtoh']} device->host copies, {n['htod']} host->device copies,"
                  f" {n['syncs']} syncs per call")
            self.transfers[name] = n
            if n["dtoh"]:
                self.failures.append(f"{name}: {n['dtoh']} device->host copies per call on {self.device}")
        cuda = baked_devices(path)
        if cuda:
            print(f"  {name}: the traced code names a CUDA device {cuda} time(s); run it on that device only")
        self.results[name] = errors

    def tokenizer(self, name, entries):
        self.index["tokenizers"][name] = entries

    def _store(self, name, i, inputs, output, err):
        os.makedirs(self.reference_dir, exist_ok=True)
        files = []
        for k, x in enumerate(list(inputs) + [output]):
            fname = f"{name}.{i}.{'out' if k == len(inputs) else f'in{k}'}.bin"
            arr = x.cpu().numpy()
            arr = arr.astype("<i8") if arr.dtype == np.int64 else arr.astype("<f4")
            arr.tofile(os.path.join(self.reference_dir, fname))
            files.append({"file": fname, "dtype": "int64" if arr.dtype.kind == "i" else "float32",
                          "shape": list(arr.shape)})
        self.index["components"].setdefault(name, []).append(
            {"inputs": files[:-1], "output": files[-1], "export_rel_error": err})

    def finish(self):
        if self.reference_dir:
            with open(os.path.join(self.reference_dir, "index.json"), "w") as f:
                json.dump(self.index, f, indent=1, ensure_ascii=False)
                f.write("\n")
        return self.failures

#!/usr/bin/env python3
"""CPU time per component call of a pack (TorchScript, torch.set_num_threads(2)),
at the pack's default sizes with one prompt (batch 2B = 2 for the UNets), and
the whole cascade at the pack's default steps estimated from them.

    /usr/bin/python3 models/recipes/bench_pack_cpu.py models/shapes [reps]
"""
import importlib.util
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("make_tiny_pack", os.path.join(HERE, "make_tiny_pack.py"))
tiny = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tiny)


def main(pack: str, reps: int = 5) -> int:
    torch.set_num_threads(2)
    with open(os.path.join(pack, "pack.json")) as f:
        pj = json.load(f)
    st = pj["stages"]
    D = st["encode"]["embedding_dim"]
    Dc = st["upscale"]["embedding_dim"]
    H1, H2, H4 = st["stage1"]["height"], st["sr"]["height"], st["upscale"]["height"] // 4
    ids = torch.zeros(1, 77, dtype=torch.long)
    mask = torch.zeros(1, 77, dtype=torch.long)
    mask[:, :14] = 1
    ins = {
        "t5_encoder": (ids, mask),
        "x4_text_encoder": (ids,),
        "stage1_unet": (torch.randn(2, 3, H1, H1), torch.tensor([500, 500]), torch.randn(2, 77, D)),
        "sr_unet": (torch.randn(2, 6, H2, H2), torch.tensor([500, 500]), torch.randn(2, 77, D),
                    torch.tensor([50, 50])),
        "x4_unet": (torch.randn(2, 7, H4, H4), torch.tensor([500, 500]), torch.randn(2, 77, Dc),
                    torch.tensor([20, 20])),
        "vae_decoder": (torch.randn(1, 4, H4, H4),),
    }
    ms = {}
    for name, x in ins.items():
        m = torch.jit.load(os.path.join(pack, pj["components"][name]["file"]))
        ms[name] = tiny.bench(m, x, reps)
        print(f"{name:16s} median {ms[name][0]:8.1f} ms  min {ms[name][1]:8.1f} ms", flush=True)
    n1 = st["stage1"]["steps"]
    n2 = st["sr"]["steps"]
    n3 = st["upscale"]["steps"]
    total = (2 * ms["t5_encoder"][0] + n1 * ms["stage1_unet"][0] + n2 * ms["sr_unet"][0]
             + 2 * ms["x4_text_encoder"][0] + n3 * ms["x4_unet"][0] + ms["vae_decoder"][0])
    print(f"cascade estimate at default steps ({n1}/{n2}/{n3}): {total / 1000:.1f} s "
          f"(component calls only, torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5))

#!/usr/bin/env python3
"""Continue training the shapes pack's stage-II UNet alone, on the whole GPU.

In the full recipe (train_shapes_pack.py) stage II shares a process with the
VAE and the x4 UNet and gets about a third of one GPU; that left it below
bicubic upscaling in PSNR. This recipe starts from the shipped `sr_unet.pt`,
trains it with the same data, loss (L_simple in v-space + L_vlb) and text
encoder (the pack's own, frozen), then runs the full evaluation of
train_shapes_pack.py (which re-chooses the sampling settings on validation
prompts), exports the new `sr_unet.pt` and rewrites pack.json and SHA256SUMS.

Usage (GPU machine):
    python3 models/recipes/train_shapes_sr.py --pack PACK --work WORK --budget 420 [--out DIR]
Local micro run (CPU, a few steps):
    python3 models/recipes/train_shapes_sr.py --micro --pack /tmp/p --work /tmp/w
"""

import argparse
import json
import os
import subprocess
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import shapes_models as M          # noqa: E402
import train_shapes_pack as T      # noqa: E402


def frozen_t5_snapshot(mods, work: str, n_vocab: int) -> None:
    """The SR trainer reads its text encoder from a snapshot file; write the pack's."""
    t5 = T.new_t5(n_vocab)
    t5.load_state_dict(mods["t5_encoder"].state_dict())
    torch.save(t5.state_dict(), os.path.join(work, "t5_snapshot.pt"))


def train(cfg: dict, mods, budget: float) -> dict:
    env = T.Env(cfg)
    tr = T.SRTrainer(env, time.time() + budget)
    tr.unet.load_state_dict(mods["sr_unet"].state_dict())
    tr.ema = T.EMA([tr.unet], cfg["ema"])                  # shadow starts at the shipped weights
    tr.budget = T.Budget(budget, cfg.get("max_steps_sr", 0))   # pool rendering not counted
    while not tr.done():
        tr.step()
    tr.finish()
    return {"sr_finetune_steps": tr.step_n, "sr_finetune_seconds": round(time.time() - tr.budget.t0)}


def export_sr(pack: str, unet: torch.nn.Module) -> None:
    unet = unet.cpu().eval()
    path = os.path.join(pack, "sr_unet.pt")
    torch.jit.save(torch.jit.script(unet), path)
    loaded = torch.jit.load(path, map_location="cpu")
    g = torch.Generator().manual_seed(T.SEEDS["eval"])
    for b, hw in T.CHECK_SHAPES["sr_unet"]:
        x = T.example_inputs("sr_unet", b, hw, 1, 1, g)
        with torch.no_grad():
            ye, yl = unet(*x), loaded(*x)
        assert torch.allclose(ye, yl, atol=1e-4, rtol=1e-3), (ye - yl).abs().max()
    T.log(f"export sr_unet: {M.count_params(unet)} params, {os.path.getsize(path) / 1e6:.2f} MB")


def main(argv) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", required=True, help="an exported shapes pack; sr_unet.pt and pack.json are replaced")
    ap.add_argument("--work", required=True)
    ap.add_argument("--docs", default=None)
    ap.add_argument("--out", default=None, help="copy the changed files and the evaluation here")
    ap.add_argument("--budget", type=float, default=420.0, help="training seconds (wall clock)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--micro", action="store_true")
    ap.add_argument("--set", nargs=2, action="append", metavar=("KEY", "VALUE"))
    args = ap.parse_args(argv)
    t0 = time.time()
    os.makedirs(args.work, exist_ok=True)
    # fine-tuning: a lower peak learning rate and the whole GPU's batch
    args.set = [("lr_sr", "2e-4"), ("batch_sr", "96")] + (args.set or []) if not args.micro else args.set
    cfg = T.config(args)
    T.log(f"config {json.dumps(cfg)}")
    t5v, clipv = T.build_vocabs()
    mods = T.load_pack_modules(args.pack, torch.device("cpu"))
    frozen_t5_snapshot(mods, cfg["work"], len(t5v))
    info = train(cfg, mods, args.budget)
    ck = torch.load(os.path.join(cfg["work"], "ckpt_sr.pt"), map_location="cpu")
    unet = M.SRUNet(T.T5_DIM)
    unet.load_state_dict(ck["unet"])
    mods["sr_unet"] = unet.eval().float().requires_grad_(False)
    with open(os.path.join(args.pack, "pack.json")) as f:
        info["vae_scale_factor"] = json.load(f)["stages"]["upscale"]["vae_scale_factor"]
    docs = args.docs or os.path.join(args.work, "docs")
    res = T.evaluate(args.pack, cfg["work"], docs, torch.device(args.device), args.micro, mods, info)
    export_sr(args.pack, mods["sr_unet"])
    T.tiny.write_json(os.path.join(args.pack, "pack.json"),
                      T.manifest(clipv["<|endoftext|>"], info["vae_scale_factor"], res["guidance"],
                                 res["sr_noise_level"], res["x4_steps"], res["sr_timesteps"], res["x4_noise_level"]))
    T.write_sums(args.pack)
    T.log("summary " + json.dumps({k: res[k] for k in ("train", "guidance", "heldout_fidelity_64",
                                                      "heldout_fidelity_256", "heldout_fidelity_1024", "psnr")}))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        subprocess.run(["tar", "cf", os.path.join(args.out, "sr.tar"), "-C", args.pack,
                        "sr_unet.pt", "pack.json", "SHA256SUMS"], check=True)
        subprocess.run(["tar", "cf", os.path.join(args.out, "meta.tar"), "-C", args.work,
                        "eval.json", "loss_sr.jsonl", "docs"], check=True)
    T.log(f"all done in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
                  dict(os.environ, PYTHONHASHSEED="0"))
    sys.exit(main(sys.argv[1:]))

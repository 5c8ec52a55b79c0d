#!/usr/bin/env python3
"""Train the default 'shapes' model pack (models/shapes/) on the procedural
shapes world of models/shapes/world.json, export it with the IF tensor contract
(models/README.md) and evaluate it.

Usage (GPU machine, see models/README.md "Training the shapes pack"):
    python3 models/recipes/train_shapes_pack.py --pack OUT_PACK --work WORKDIR --budget 430
Local micro run (CPU, a few steps, checks the whole flow end to end):
    python3 models/recipes/train_shapes_pack.py --micro --pack /tmp/p --work /tmp/w

Three training processes share the one GPU, each seeded (SEEDS):
  stage1: T5-style encoder + stage-I UNet (64 px, eps + learned-range variance,
          hybrid loss L_simple + L_vlb as improved DDPM: lambda = 0.001 on the
          full-chain bound = the per-timestep term x T/1000, stop-grad on eps).
          Writes a snapshot of its (EMA) text encoder every few seconds.
  sr:     stage-II UNet 64 -> 256 (same hybrid loss), conditioned on the
          bilinear (align_corners) upsampled 64 px image noised on the
          squaredcos_cap_v2 schedule at a random noise_level (= class_labels),
          text from the latest text-encoder snapshot (frozen here).
  x4:     VAE (4x downsampling, 4 latent channels) for the first part of its
          time, then the CLIP-style encoder + latent x4 UNet (v-prediction,
          scaled_linear, low-res image noised on scaled_linear to a random
          level <= 350 = class_labels).
Classifier-free guidance: 10% of captions are replaced by "" (the runtime's
unconditional prompt). Held-out prompts (heldout.txt, written here) are never
used for training. Then: export (TorchScript, pack.json, tokenizers,
SHA256SUMS), and evaluation with a Python re-implementation of the Java
samplers (fidelity checker of shapes_world.py, PSNR vs bicubic).
"""

import argparse
import importlib.util
import json
import math
import os
import random
import sys
import time
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import shapes_world as W          # noqa: E402
import shapes_models as M         # noqa: E402

_spec = importlib.util.spec_from_file_location("make_tiny_pack", os.path.join(HERE, "make_tiny_pack.py"))
tiny = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tiny)

MAX_LEN = 77
T5_DIM = 128
CLIP_DIM = 64
SEEDS = {"stage1": 501, "sr": 502, "x4": 503, "vae": 505, "eval": 504, "validation": 777}
CFG_DROP = 0.1
X4_MAX_NOISE = 350
SR_NOISE_LEVEL = 250
X4_NOISE_LEVEL = 20
STEPS = {"stage1": 27, "sr": 27, "upscale": 20}
TIMESTEPS = {"stage1": "smart27", "sr": "smart27"}


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, flush=True)


# --------------------------------------------------------------------------
# Tokenizers: make_tiny_pack.py's writers with the world's words in front
# --------------------------------------------------------------------------

def vocab_words() -> List[str]:
    return tiny._dedup(W.WORLD_WORDS + tiny.WORDS)


def build_vocabs():
    """(t5 vocab list, clip vocab dict). make_tiny_pack's t5_vocab/clip_vocab
    read its module-level WORDS; we swap in the world's words (first, so they
    get the best scores / lowest ids) and restore it. CLIP also gets every
    number 10..999 as a word (digits 0-9 are there already): its WordLevel
    model cannot split a number, T5's Unigram spells it digit by digit."""
    saved = tiny.WORDS
    try:
        tiny.WORDS = vocab_words()
        t5v = tiny.t5_vocab()
        tiny.WORDS = vocab_words() + [str(n) for n in range(10, 1000)]
        clipv = tiny.clip_vocab()
    finally:
        tiny.WORDS = saved
    return t5v, clipv


class Tok:
    """Fast tokenization (exactly tiny.t5_encode / tiny.clip_encode, cached per
    whitespace-separated word, which is how both pre-tokenizers split)."""

    def __init__(self, t5v, clipv):
        self.t5v, self.clipv = t5v, clipv
        self.c5: Dict[str, List[int]] = {}
        self.cc: Dict[str, List[int]] = {}
        self.sot, self.eot = clipv["<|startoftext|>"], clipv["<|endoftext|>"]

    def t5(self, text: str) -> Tuple[List[int], List[int]]:
        ids: List[int] = []
        for w in text.split():
            if w not in self.c5:
                self.c5[w] = tiny.t5_encode(w, self.t5v)[:-1]
            ids += self.c5[w]
        return tiny.pad_to(ids + [1], 0)

    def clip(self, text: str) -> List[int]:
        ids = [self.sot]
        for w in text.split():
            if w not in self.cc:
                self.cc[w] = tiny.clip_encode(w, self.clipv)[1:-1]
            ids += self.cc[w]
        return tiny.pad_to(ids + [self.eot], self.eot)[0]


def write_tokenizers(pack: str, t5v, clipv) -> None:
    t5j = tiny.t5_tokenizer_json(t5v)
    clipj = tiny.clip_tokenizer_json(clipv)
    tiny.validate_tokenizer_json(t5j)
    tiny.validate_tokenizer_json(clipj)
    tiny.write_json(os.path.join(pack, "tokenizer/t5/tokenizer.json"), t5j)
    tiny.write_json(os.path.join(pack, "tokenizer/clip/tokenizer.json"), clipj)
    tok = Tok(t5v, clipv)
    prompts = W.heldout_prompts()[::20] + [""]
    exp = {"note": "reference token ids (pure-Python re-implementation in make_tiny_pack.py), "
                   "special tokens added, before padding to 77",
           "t5": {p: tiny.t5_encode(p, t5v) for p in prompts},
           "clip": {p: tiny.clip_encode(p, clipv) for p in prompts}}
    for p in prompts:   # the cached fast path agrees with the reference
        ids, mask = tok.t5(p)
        assert ids[:sum(mask)] == exp["t5"][p], p
        assert tok.clip(p)[:len(exp["clip"][p])] == exp["clip"][p], p
    tiny.write_json(os.path.join(pack, "tokenizer/expected_ids.json"), exp, indent=None)


# --------------------------------------------------------------------------
# Noise schedules (float32 tables as diffusers / the Java side build them)
# --------------------------------------------------------------------------

cosine_abar = M.cosine_alphas_cumprod
scaled_linear_abar = M.scaled_linear_alphas_cumprod


class VLB:
    """Per-timestep variational-bound terms of improved DDPM (Nichol & Dhariwal
    2021) for eps-prediction with learned-range variance, in bits per dim."""

    def __init__(self, abar: torch.Tensor, device):
        a = abar.double()
        ap = torch.cat([torch.ones(1, dtype=torch.float64), a[:-1]])
        betas = 1 - a / ap
        pv = betas * (1 - ap) / (1 - a)
        plog = torch.log(torch.cat([pv[1:2], pv[1:]]))
        f = lambda x: x.float().to(device)
        self.abar = f(a)
        self.log_beta = f(torch.log(betas))
        self.plog = f(plog)
        self.c1 = f(betas * ap.sqrt() / (1 - a))
        self.c2 = f((1 - ap) * (a / ap).sqrt() / (1 - a))

    def __call__(self, x0, xt, t, x0p, v):
        """x0p: the model's x0 prediction (stop-gradient: only the variance
        channels v learn from this term)."""
        g = lambda tab: tab[t].view(-1, 1, 1, 1)
        mean_q = g(self.c1) * x0 + g(self.c2) * xt
        logvar_q = g(self.plog)
        mean_p = g(self.c1) * x0p + g(self.c2) * xt
        frac = (v + 1) / 2
        logvar_p = frac * g(self.log_beta) + (1 - frac) * logvar_q
        kl = 0.5 * (-1.0 + logvar_p - logvar_q + torch.exp(logvar_q - logvar_p)
                    + (mean_q - mean_p) ** 2 * torch.exp(-logvar_p))
        kl = kl.mean(dim=(1, 2, 3)) / math.log(2.0)
        nll = -discretized_gaussian_loglik(x0, mean_p, 0.5 * logvar_p).mean(dim=(1, 2, 3)) / math.log(2.0)
        return torch.where(t == 0, nll, kl)


def v_space_mse(x0p: torch.Tensor, x0: torch.Tensor, a_t: torch.Tensor) -> torch.Tensor:
    """L_simple measured in v-space: |v_hat - v|^2 = |x0_hat - x0|^2 / (1 - a_t)
    (= the epsilon MSE weighted by 1 / a_t). The epsilon MSE alone hardly
    weighs x0 errors at high noise, where the global layout and colours are
    decided; this weighting (that of v-prediction models) does."""
    w = 1.0 / (1.0 - a_t).clamp(min=1e-7)
    return ((x0p.float() - x0) ** 2 * w).mean()


def _approx_std_normal_cdf(x):
    return 0.5 * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def discretized_gaussian_loglik(x, means, log_scales):
    cx = x - means
    inv = torch.exp(-log_scales)
    cdf_plus = _approx_std_normal_cdf(inv * (cx + 1.0 / 255.0))
    cdf_min = _approx_std_normal_cdf(inv * (cx - 1.0 / 255.0))
    log_cdf_plus = torch.log(cdf_plus.clamp(min=1e-12))
    log_one_minus_cdf_min = torch.log((1.0 - cdf_min).clamp(min=1e-12))
    cdf_delta = cdf_plus - cdf_min
    return torch.where(x < -0.999, log_cdf_plus,
                       torch.where(x > 0.999, log_one_minus_cdf_min,
                                   torch.log(cdf_delta.clamp(min=1e-12))))


# --------------------------------------------------------------------------
# Training helpers
# --------------------------------------------------------------------------

class EMA:
    def __init__(self, modules: List[nn.Module], max_decay: float):
        self.params = [p for m in modules for p in m.parameters()]
        self.shadow = [p.detach().clone().float() for p in self.params]
        self.max_decay = max_decay
        self.n = 0

    @torch.no_grad()
    def update(self):
        self.n += 1
        d = min(self.max_decay, (1 + self.n) / (10 + self.n))
        torch._foreach_mul_(self.shadow, d)
        torch._foreach_add_(self.shadow, [p.detach().float() for p in self.params], alpha=1 - d)

    def state(self, modules: List[nn.Module]) -> List[Dict[str, torch.Tensor]]:
        """State dicts of `modules` with the EMA weights (buffers as they are)."""
        it = iter(self.shadow)
        out = []
        for m in modules:
            sd = {}
            for n, p in m.named_parameters():
                sd[n] = next(it).detach().cpu().clone()
            for n, b in m.named_buffers():
                sd[n] = b.detach().cpu().clone()
            out.append(sd)
        return out


class Budget:
    def __init__(self, seconds: float, max_steps: int):
        self.t0 = time.time()
        self.seconds = seconds
        self.max_steps = max_steps

    def progress(self, step: int) -> float:
        p = (time.time() - self.t0) / self.seconds
        if self.max_steps > 0:
            p = max(p, step / self.max_steps)
        return p

    def lr(self, step: int, base: float, warm: int = 200) -> float:
        p = min(1.0, self.progress(step))
        w = min(1.0, (step + 1) / warm)
        return base * w * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p)))


def set_lr(opt, lr):
    for g in opt.param_groups:
        g["lr"] = lr


class Pool:
    """A GPU pool of rendered training scenes, partly refreshed every step."""

    def __init__(self, name: str, cfg: dict, renderer: W.Renderer, sampler: W.SceneSampler,
                 tok: Tok, size: int, res: Tuple[int, ...], rng: random.Random, fill: bool = True):
        self.r, self.sampler, self.tok, self.rng = renderer, sampler, tok, rng
        self.res = res
        self.dev = renderer.device
        self.size = size
        self.n = 0
        self.imgs = {r: torch.zeros(size, 3, r, r, dtype=torch.uint8, device=self.dev) for r in res}
        self.t5 = torch.zeros(size, MAX_LEN, dtype=torch.long, device=self.dev)
        self.t5m = torch.zeros(size, MAX_LEN, dtype=torch.long, device=self.dev)
        self.clip = torch.zeros(size, MAX_LEN, dtype=torch.long, device=self.dev)
        if fill:
            t = time.time()
            while self.n < size and time.time() - t < cfg["pool_seconds"]:
                self.grow(64)
            log(f"{name}: pool of {self.n}/{size} scenes at {res} rendered in {time.time() - t:.1f}s "
                f"({(time.time() - t) / max(1, self.n) * 1000:.2f} ms/scene)")

    def fill(self, slots: List[int]):
        scenes = [self.sampler() for _ in slots]
        out = self.r.render(scenes, self.rng, outs=self.res, chunk=16)
        idx = torch.tensor(slots, device=self.dev)
        for r in self.res:
            self.imgs[r][idx] = out[r].round().clamp(0, 255).to(torch.uint8)
        t5 = [self.tok.t5(s["caption"]) for s in scenes]
        self.t5[idx] = torch.tensor([a for a, _ in t5], device=self.dev)
        self.t5m[idx] = torch.tensor([b for _, b in t5], device=self.dev)
        self.clip[idx] = torch.tensor([self.tok.clip(s["caption"]) for s in scenes], device=self.dev)

    def grow(self, k: int):
        k = min(k, self.size - self.n)
        self.fill(list(range(self.n, self.n + k)))
        self.n += k

    def refresh(self, k: int):
        """k new scenes: appended while the pool is not full, else replacing random ones."""
        if k <= 0:
            return
        if self.n < self.size:
            self.grow(k)
        else:
            self.fill(self.rng.sample(range(self.size), k))

    def batch(self, b: int, gen: torch.Generator) -> torch.Tensor:
        return torch.randint(0, self.n, (b,), device=self.dev, generator=gen)


def u8(x: torch.Tensor) -> torch.Tensor:
    return x.float() / 127.5 - 1.0


def cfg_drop(ids, mask, empty_ids, empty_mask, g: torch.Generator):
    drop = torch.rand(ids.shape[0], device=ids.device, generator=g) < CFG_DROP
    ids = torch.where(drop.unsqueeze(1), empty_ids.unsqueeze(0), ids)
    mask = None if mask is None else torch.where(drop.unsqueeze(1), empty_mask.unsqueeze(0), mask)
    return ids, mask


class Env:
    """What the trainers of one process share: device, renderer, tokenizer."""

    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.dev = torch.device(cfg["device"])
        if self.dev.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
            torch.backends.cudnn.benchmark = True
        self.renderer = W.Renderer(self.dev, cfg["canvas"])
        self.heldout = W.heldout_prompts()
        self.t5v, self.clipv = build_vocabs()
        self.tok = Tok(self.t5v, self.clipv)


def autocast(dev):
    if dev.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


class LossLog:
    def __init__(self, path: str, name: str):
        self.f = open(path, "a", encoding="utf-8")
        self.name = name
        self.acc: Dict[str, float] = {}
        self.n = 0
        self.t = time.time()

    def add(self, **kw):
        for k, v in kw.items():
            self.acc[k] = self.acc.get(k, 0.0) + float(v)
        self.n += 1

    def flush(self, step: int, **extra):
        if self.n == 0:
            return
        rec = {k: round(v / self.n, 5) for k, v in self.acc.items()}
        rec.update(step=step, time=round(time.time() - self.t, 1), **extra)
        self.f.write(json.dumps(rec) + "\n")
        self.f.flush()
        log(self.name, json.dumps(rec))
        self.acc, self.n = {}, 0


def new_t5(n_vocab: int) -> M.T5Encoder:
    torch.manual_seed(SEEDS["stage1"])
    return M.T5Encoder(n_vocab, T5_DIM)


def gpu_mem(dev) -> str:
    if dev.type != "cuda":
        return "cpu"
    return f"max GPU memory allocated {torch.cuda.max_memory_allocated(dev) / 2**30:.1f} GiB"


class Trainer:
    """One model being trained: seeded data stream, generator, budget, loss log."""

    def __init__(self, env: Env, name: str, deadline: float, max_steps: int, pool_size: int,
                 res: Tuple[int, ...], fill: bool = True):
        cfg = env.cfg
        self.env, self.cfg, self.name, self.dev = env, cfg, name, env.dev
        seed = SEEDS[name]
        self.rng = random.Random(seed)
        self.sampler = W.SceneSampler(seed, env.heldout)
        self.gen = torch.Generator(device=self.dev)
        self.gen.manual_seed(seed)
        self.pool = Pool(name, cfg, env.renderer, self.sampler, env.tok, pool_size, res, self.rng, fill)
        self.budget = Budget(deadline - time.time(), max_steps)
        self.lg = LossLog(os.path.join(cfg["work"], f"loss_{name}.jsonl"), name)
        self.step_n = 0

    def done(self) -> bool:
        return self.budget.progress(self.step_n) >= 1.0

    def optimize(self, loss: torch.Tensor, params, ema: Optional[EMA], **metrics: torch.Tensor):
        """One optimiser step (gradient clipping 1.0, EMA), loss logging."""
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(params, 1.0)
        self.opt.step()
        if ema is not None:
            ema.update()
        self.step_n += 1
        if self.step_n % 25 == 0:
            self.lg.add(gnorm=gn.item(), **{k: v.item() for k, v in metrics.items()})
        if self.step_n % 200 == 0:
            self.flush()

    def flush(self):
        self.lg.flush(self.step_n, **self.log_extra())

    def log_extra(self) -> dict:
        return {"lr": self.opt.param_groups[0]["lr"]}

    def randn(self, shape):
        return torch.randn(shape, device=self.dev, generator=self.gen)

    def randint(self, lo, hi, n):
        return torch.randint(lo, hi, (n,), device=self.dev, generator=self.gen)


class Stage1Trainer(Trainer):
    """T5-style encoder + stage-I UNet, hybrid loss."""

    def __init__(self, env: Env, deadline: float):
        cfg = env.cfg
        super().__init__(env, "stage1", deadline, cfg.get("max_steps_stage1", 0), cfg["pool_stage1"], (64,))
        dev = self.dev
        self.t5 = new_t5(len(env.t5v)).to(dev)
        torch.manual_seed(SEEDS["stage1"] + 1)
        self.unet = M.Stage1UNet(T5_DIM).to(dev)
        self.params = list(self.t5.parameters()) + list(self.unet.parameters())
        self.opt = torch.optim.AdamW(self.params, lr=cfg["lr_stage1"], betas=(0.9, 0.99), weight_decay=0.0)
        self.ema = EMA([self.t5, self.unet], cfg["ema"])
        self.vlb = VLB(cosine_abar(), dev)
        self.e_ids, self.e_mask = (torch.tensor(x, device=dev) for x in env.tok.t5(""))
        self.snap = os.path.join(cfg["work"], "t5_snapshot.pt")
        self.last_snap = -1e9
        self.snapshot()

    def snapshot(self):
        torch.save(self.ema.state([self.t5])[0], self.snap + ".tmp")
        os.replace(self.snap + ".tmp", self.snap)
        self.last_snap = time.time()

    def step(self):
        cfg, B = self.cfg, self.cfg["batch_stage1"]
        if time.time() - self.last_snap > cfg["snapshot_every"]:
            self.snapshot()
        set_lr(self.opt, self.budget.lr(self.step_n, cfg["lr_stage1"], cfg["warmup"]))
        self.pool.refresh(cfg["refresh_stage1"])
        idx = self.pool.batch(B, self.gen)
        x0 = u8(self.pool.imgs[64][idx])
        ids, mask = cfg_drop(self.pool.t5[idx], self.pool.t5m[idx], self.e_ids, self.e_mask, self.gen)
        t = self.randint(0, 1000, B)
        noise = self.randn(x0.shape)
        ab = self.vlb.abar[t].view(-1, 1, 1, 1)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        with autocast(self.dev):
            x0p, v, a_t = self.unet.predict(xt, t, self.t5(ids, mask))
        mse = v_space_mse(x0p, x0, a_t)
        vb = self.vlb(x0, xt, t, x0p.detach(), v.float()).mean()
        self.optimize(mse + vb, self.params, self.ema, mse=mse, vb=vb)

    def finish(self):
        self.flush()
        st = self.ema.state([self.t5, self.unet])
        torch.save({"t5": st[0], "unet": st[1], "steps": self.step_n,
                    "seconds": time.time() - self.budget.t0},
                   os.path.join(self.cfg["work"], "ckpt_stage1.pt"))
        self.snapshot()
        log(f"stage1: done, {self.step_n} steps in {time.time() - self.budget.t0:.0f}s, {gpu_mem(self.dev)}")


class SRTrainer(Trainer):
    """Stage-II UNet, hybrid loss; text from the stage-1 trainer's encoder snapshots."""

    def __init__(self, env: Env, deadline: float):
        cfg = env.cfg
        super().__init__(env, "sr", deadline, cfg.get("max_steps_sr", 0), cfg["pool_sr"], (256,))
        dev = self.dev
        torch.manual_seed(SEEDS["sr"])
        self.unet = M.SRUNet(T5_DIM).to(dev)
        self.t5 = new_t5(len(env.t5v)).to(dev).eval().requires_grad_(False)
        self.snap = os.path.join(cfg["work"], "t5_snapshot.pt")
        self.snap_m = 0.0
        while not os.path.exists(self.snap):
            time.sleep(0.5)
        self.opt = torch.optim.AdamW(self.unet.parameters(), lr=cfg["lr_sr"], betas=(0.9, 0.99), weight_decay=0.0)
        self.ema = EMA([self.unet], cfg["ema"])
        self.vlb = VLB(cosine_abar(), dev)
        self.e_ids, self.e_mask = (torch.tensor(x, device=dev) for x in env.tok.t5(""))
        self.reloads = 0

    def step(self):
        cfg, B = self.cfg, self.cfg["batch_sr"]
        if self.step_n % 20 == 0 and os.path.getmtime(self.snap) != self.snap_m:
            self.snap_m = os.path.getmtime(self.snap)
            self.t5.load_state_dict(torch.load(self.snap, map_location=self.dev))
            self.reloads += 1
        set_lr(self.opt, self.budget.lr(self.step_n, cfg["lr_sr"], cfg["warmup"]))
        self.pool.refresh(cfg["refresh_sr"])
        idx = self.pool.batch(B, self.gen)
        x0 = u8(self.pool.imgs[256][idx])
        low = F.avg_pool2d(x0, 4)
        up = F.interpolate(low, size=(256, 256), mode="bilinear", align_corners=True)
        # noise_level: half uniform over the whole schedule (as IF), half <= 400
        # where inference runs (default 250)
        s_all = self.randint(0, 1000, B)
        s_low = self.randint(0, 401, B)
        s = torch.where(torch.rand(B, device=self.dev, generator=self.gen) < 0.5, s_all, s_low)
        a_s = self.vlb.abar[s].view(-1, 1, 1, 1)
        up = a_s.sqrt() * up + (1 - a_s).sqrt() * self.randn(up.shape)
        ids, mask = cfg_drop(self.pool.t5[idx], self.pool.t5m[idx], self.e_ids, self.e_mask, self.gen)
        t = self.randint(0, 1000, B)
        noise = self.randn(x0.shape)
        ab = self.vlb.abar[t].view(-1, 1, 1, 1)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        with torch.no_grad(), autocast(self.dev):
            emb = self.t5(ids, mask)
        with autocast(self.dev):
            x0p, v, a_t = self.unet.predict(torch.cat([xt, up], dim=1), t, emb, s)
        mse = v_space_mse(x0p, x0, a_t)
        vb = self.vlb(x0, xt, t, x0p.detach(), v.float()).mean()
        self.optimize(mse + vb, self.unet.parameters(), self.ema, mse=mse, vb=vb)

    def log_extra(self) -> dict:
        return dict(super().log_extra(), t5_reloads=self.reloads)

    def finish(self):
        self.flush()
        torch.save({"unet": self.ema.state([self.unet])[0], "steps": self.step_n,
                    "seconds": time.time() - self.budget.t0}, os.path.join(self.cfg["work"], "ckpt_sr.pt"))
        log(f"sr: done, {self.step_n} steps in {time.time() - self.budget.t0:.0f}s, "
            f"{self.reloads} text-encoder reloads, {gpu_mem(self.dev)}")


class VAETrainer(Trainer):
    """The x4 stage's VAE on random crops of canvas-size renders."""

    def __init__(self, env: Env, deadline: float):
        cfg = env.cfg
        self.CV = cfg["canvas"]
        super().__init__(env, "vae", deadline, cfg.get("max_steps_vae", 0), cfg["pool_vae"], (self.CV,))
        dev = self.dev
        torch.manual_seed(SEEDS["vae"])
        self.enc = M.VAEEncoder().to(dev)
        self.dec = M.VAEDecoder().to(dev)
        self.params = list(self.enc.parameters()) + list(self.dec.parameters())
        self.opt = torch.optim.AdamW(self.params, lr=cfg["lr_vae"], betas=(0.9, 0.99), weight_decay=0.0)

    def step(self):
        cfg, B, C, CV, dev = self.cfg, self.cfg["batch_vae"], self.cfg["crop_vae"], self.CV, self.dev
        set_lr(self.opt, self.budget.lr(self.step_n, cfg["lr_vae"], warm=100))
        self.pool.refresh(cfg["refresh_vae"])
        idx = self.pool.batch(B, self.gen)
        ox = self.randint(0, (CV - C) // 4 + 1, B) * 4
        oy = self.randint(0, (CV - C) // 4 + 1, B) * 4
        ar = torch.arange(C, device=dev)
        rows = oy.view(-1, 1) + ar.view(1, -1)
        cols = ox.view(-1, 1) + ar.view(1, -1)
        imgs = self.pool.imgs[CV][idx]
        x = imgs[torch.arange(B, device=dev).view(-1, 1, 1, 1), torch.arange(3, device=dev).view(1, 3, 1, 1),
                 rows.view(B, 1, C, 1), cols.view(B, 1, 1, C)]
        x = u8(x)
        with autocast(dev):
            mean, logvar = self.enc(x)
            mean, logvar = mean.float(), logvar.float()
            z = mean + torch.exp(0.5 * logvar) * self.randn(mean.shape)
            rec = self.dec(z).float()
        l1 = (rec - x).abs().mean()
        l2 = ((rec - x) ** 2).mean()
        m3, l3 = mean[:, 3], logvar[:, 3]          # channels 0-2 are the downscaled image
        kl = 0.5 * (m3 ** 2 + l3.exp() - 1 - l3).mean()
        self.optimize(l1 + l2 + 1e-5 * kl, self.params, None, vae_l1=l1, vae_l2=l2, vae_kl=kl)

    def finish(self):
        self.flush()
        self.enc.eval()
        self.dec.eval()
        with torch.no_grad():
            x = u8(self.pool.imgs[self.CV][:16])
            m, _ = self.enc(x)
            rec = self.dec(m).clamp(-1, 1)
            self.psnr = psnr(to255(rec), to255(x))
            self.scale = float(1.0 / m.float().std())
        self.seconds = time.time() - self.budget.t0
        log(f"vae: {self.step_n} steps in {self.seconds:.0f}s, recon PSNR {self.psnr:.2f} dB, "
            f"latent std {1 / self.scale:.4f} -> vae_scale_factor {self.scale:.5f}")
        del self.pool


class X4Trainer(Trainer):
    """CLIP-style encoder + latent x4 UNet (v-prediction on scaled_linear)."""

    def __init__(self, env: Env, deadline: float, vae: VAETrainer):
        cfg = env.cfg
        self.CV = cfg["canvas"]
        self.LR = self.CV // 4
        super().__init__(env, "x4", deadline, cfg.get("max_steps_x4", 0), cfg["pool_x4"], (self.LR,), fill=False)
        dev = self.dev
        self.vae = vae
        n = cfg["pool_x4"]
        self.lat = torch.zeros(n, 4, self.LR, self.LR, dtype=torch.bfloat16, device=dev)
        t = time.time()
        while self.pool.n < n and time.time() - t < cfg["pool_seconds"]:
            self.grow(16)
        log(f"x4: latent pool of {self.pool.n}/{n} encoded in {time.time() - t:.1f}s")
        torch.manual_seed(SEEDS["x4"] + 1)
        self.clip = M.CLIPTextEncoder(len(env.clipv), CLIP_DIM).to(dev)
        ch3_var = float(self.lat[:self.pool.n, 3].float().var())
        self.unet = M.X4UNet(CLIP_DIM, vae_scale=vae.scale, ch3_var=ch3_var).to(dev)
        log(f"x4: preconditioning with vae_scale {vae.scale:.5f}, latent channel-3 variance {ch3_var:.4f}")
        self.params = list(self.clip.parameters()) + list(self.unet.parameters())
        self.opt = torch.optim.AdamW(self.params, lr=cfg["lr_x4"], betas=(0.9, 0.99), weight_decay=0.0)
        self.ema = EMA([self.clip, self.unet], cfg["ema"])
        self.abar = scaled_linear_abar().to(dev)
        self.e_ids = torch.tensor(env.tok.clip(""), device=dev)

    def encode_slots(self, slots: List[int]):
        env, pool = self.env, self.pool
        scenes = [self.sampler() for _ in slots]
        out = env.renderer.render(scenes, self.rng, outs=(self.CV, self.LR), chunk=8)
        idx = torch.tensor(slots, device=self.dev)
        pool.imgs[self.LR][idx] = out[self.LR].round().clamp(0, 255).to(torch.uint8)
        x = out[self.CV].round().clamp(0, 255) / 127.5 - 1
        with torch.no_grad(), autocast(self.dev):
            self.lat[idx] = (self.vae.enc(x)[0].float() * self.vae.scale).to(torch.bfloat16)
        pool.clip[idx] = torch.tensor([env.tok.clip(s["caption"]) for s in scenes], device=self.dev)

    def grow(self, k: int):
        k = min(k, self.pool.size - self.pool.n)
        if k > 0:
            self.encode_slots(list(range(self.pool.n, self.pool.n + k)))
            self.pool.n += k

    def step(self):
        cfg, B = self.cfg, self.cfg["batch_x4"]
        set_lr(self.opt, self.budget.lr(self.step_n, cfg["lr_x4"], cfg["warmup"]))
        k = cfg["refresh_x4"]
        if k > 0 and self.pool.n < self.pool.size:
            self.grow(k)
        elif k > 0:
            self.encode_slots(self.rng.sample(range(self.pool.size), k))
        idx = self.pool.batch(B, self.gen)
        z0 = self.lat[idx].float()
        low = u8(self.pool.imgs[self.LR][idx])
        s = self.randint(0, X4_MAX_NOISE + 1, B)
        a_s = self.abar[s].view(-1, 1, 1, 1)
        low = a_s.sqrt() * low + (1 - a_s).sqrt() * self.randn(low.shape)
        ids, _ = cfg_drop(self.pool.clip[idx], None, self.e_ids, None, self.gen)
        t = self.randint(0, 1000, B)
        noise = self.randn(z0.shape)
        ab = self.abar[t].view(-1, 1, 1, 1)
        zt = ab.sqrt() * z0 + (1 - ab).sqrt() * noise
        target = ab.sqrt() * noise - (1 - ab).sqrt() * z0
        with autocast(self.dev):
            out = self.unet(torch.cat([zt, low], dim=1), t, self.clip(ids), s)
        loss = ((out.float() - target) ** 2).mean()
        self.optimize(loss, self.params, self.ema, x4_mse=loss)

    def finish(self):
        self.flush()
        st = self.ema.state([self.clip, self.unet])
        v = self.vae
        torch.save({"clip": st[0], "unet": st[1],
                    "vae_decoder": {k: x.cpu() for k, x in v.dec.state_dict().items()},
                    "vae_encoder": {k: x.cpu() for k, x in v.enc.state_dict().items()},
                    "vae_scale_factor": v.scale, "vae_psnr_train": v.psnr,
                    "steps": self.step_n, "vae_steps": v.step_n, "vae_seconds": v.seconds,
                    "seconds": time.time() - self.budget.t0}, os.path.join(self.cfg["work"], "ckpt_x4.pt"))
        log(f"x4: done, {self.step_n} steps in {time.time() - self.budget.t0:.0f}s, {gpu_mem(self.dev)}")


def proc_stage1(cfg: dict):
    """Process A: stage I (with the text encoder) alone, about half of the GPU."""
    env = Env(cfg)
    tr = Stage1Trainer(env, cfg["deadline"])
    while not tr.done():
        tr.step()
    tr.finish()


def proc_rest(cfg: dict):
    """Process B: SR all along; VAE for the first part, then the x4 upscaler;
    the two alternate step by step."""
    env = Env(cfg)
    sr = SRTrainer(env, cfg["deadline"])
    now = time.time()
    vae = VAETrainer(env, now + (cfg["deadline"] - now) * cfg["vae_fraction"])
    while not vae.done():
        if not sr.done():
            sr.step()
        vae.step()
    vae.finish()
    x4 = X4Trainer(env, cfg["deadline"], vae)
    while not (sr.done() and x4.done()):
        if not sr.done():
            sr.step()
        if not x4.done():
            x4.step()
    sr.finish()
    x4.finish()


WORKERS = {"stage1": proc_stage1, "rest": proc_rest}


def _run_worker(name: str, cfg: dict):
    try:
        WORKERS[name](cfg)
    except Exception:
        import traceback
        traceback.print_exc()
        sys.stdout.flush()
        raise


def psnr(a255: torch.Tensor, b255: torch.Tensor) -> float:
    mse = ((a255.float() - b255.float()) ** 2).mean()
    return float(10 * torch.log10(255.0 ** 2 / mse.clamp(min=1e-10)))


def to255(x):
    return ((x.clamp(-1, 1) + 1) * 127.5).round()


# --------------------------------------------------------------------------
# Building the exported modules from checkpoints
# --------------------------------------------------------------------------

def build_modules(work: str, n_t5: int, n_clip: int) -> Tuple[Dict[str, nn.Module], dict]:
    s1 = torch.load(os.path.join(work, "ckpt_stage1.pt"), map_location="cpu")
    sr = torch.load(os.path.join(work, "ckpt_sr.pt"), map_location="cpu")
    x4 = torch.load(os.path.join(work, "ckpt_x4.pt"), map_location="cpu")
    mods = {
        "t5_encoder": M.T5Encoder(n_t5, T5_DIM),
        "stage1_unet": M.Stage1UNet(T5_DIM),
        "sr_unet": M.SRUNet(T5_DIM),
        "x4_text_encoder": M.CLIPTextEncoder(n_clip, CLIP_DIM),
        "x4_unet": M.X4UNet(CLIP_DIM),
        "vae_decoder": M.VAEDecoder(clamp=True),
    }
    mods["t5_encoder"].load_state_dict(s1["t5"])
    mods["stage1_unet"].load_state_dict(s1["unet"])
    mods["sr_unet"].load_state_dict(sr["unet"])
    mods["x4_text_encoder"].load_state_dict(x4["clip"])
    mods["x4_unet"].load_state_dict(x4["unet"])
    mods["vae_decoder"].load_state_dict(x4["vae_decoder"])
    for m in mods.values():
        m.eval().float().requires_grad_(False)
    info = {"stage1_steps": s1["steps"], "stage1_seconds": round(s1["seconds"]),
            "sr_steps": sr["steps"], "sr_seconds": round(sr["seconds"]),
            "x4_steps": x4["steps"], "x4_seconds": round(x4["seconds"]),
            "vae_steps": x4["vae_steps"], "vae_seconds": round(x4["vae_seconds"]),
            "vae_scale_factor": x4["vae_scale_factor"], "vae_psnr_train": x4["vae_psnr_train"]}
    return mods, info


COMPONENTS = ["t5_encoder", "stage1_unet", "sr_unet", "x4_text_encoder", "x4_unet", "vae_decoder"]


def io_spec(name: str):
    saved = (tiny.T5_DIM, tiny.CLIP_DIM)
    tiny.T5_DIM, tiny.CLIP_DIM = T5_DIM, CLIP_DIM
    try:
        return tiny.io_spec(name)
    finally:
        tiny.T5_DIM, tiny.CLIP_DIM = saved


def manifest(clip_pad: int, scale: float, guidance: Dict[str, float],
             sr_noise: int = SR_NOISE_LEVEL, x4_steps: int = STEPS["upscale"],
             sr_timesteps: str = TIMESTEPS["sr"], x4_noise: int = X4_NOISE_LEVEL) -> dict:
    m = tiny.pack_manifest(clip_pad)
    m["name"] = "shapes"
    m["description"] = ("Small trained pack with the DeepFloyd IF tensor contract, trained on the "
                        "procedural shapes world (models/shapes/world.json) by "
                        "models/recipes/train_shapes_pack.py. It draws coloured shapes, rows of "
                        "three and numbered signs at the positions the prompt names; see MODEL_CARD.md.")
    for name in COMPONENTS:
        ins, outs = io_spec(name)
        m["components"][name]["inputs"] = ins
        m["components"][name]["outputs"] = outs
    st = m["stages"]
    st["encode"]["embedding_dim"] = T5_DIM
    ts = {"stage1": TIMESTEPS["stage1"], "sr": sr_timesteps}
    for k in ("stage1", "sr"):
        st[k]["steps"] = len(timestep_list(ts[k]))
        if ts[k] in IF_TABLES:          # "leadingN": the runtime's own spacing from `steps`
            st[k]["timesteps"] = ts[k]
        st[k]["guidance_scale"] = guidance[k]
    st["sr"]["noise_level"] = sr_noise
    up = st["upscale"]
    up["embedding_dim"] = CLIP_DIM
    up["steps"] = x4_steps
    up["guidance_scale"] = guidance["upscale"]
    up["noise_level"] = x4_noise
    up["vae_scale_factor"] = round(scale, 5)
    # key order: put "timesteps" right after "steps"
    for k in ("stage1", "sr"):
        first = [kk for kk in ("components", "width", "height", "steps", "timesteps") if kk in st[k]]
        st[k] = {kk: st[k][kk] for kk in first + [x for x in st[k] if x not in first]}
    return m


write_sums = tiny.write_sums


def example_inputs(name: str, b: int, hw: Tuple[int, int], n_t5: int, n_clip: int, g: torch.Generator):
    h, w = hw
    tokn = lambda v: torch.randint(0, v, (b, MAX_LEN), generator=g)
    if name == "t5_encoder":
        mask = torch.zeros(b, MAX_LEN, dtype=torch.long)
        mask[:, :12] = 1
        return (tokn(n_t5), mask)
    if name == "x4_text_encoder":
        return (tokn(n_clip),)
    if name == "vae_decoder":
        return (torch.randn(b, 4, h, w, generator=g),)
    ts = torch.randint(0, 1000, (b,), generator=g)
    if name == "stage1_unet":
        return (torch.randn(b, 3, h, w, generator=g), ts, torch.randn(b, MAX_LEN, T5_DIM, generator=g))
    lab = torch.randint(0, 1000, (b,), generator=g)
    if name == "sr_unet":
        return (torch.randn(b, 6, h, w, generator=g), ts, torch.randn(b, MAX_LEN, T5_DIM, generator=g), lab)
    return (torch.randn(b, 7, h, w, generator=g), ts, torch.randn(b, MAX_LEN, CLIP_DIM, generator=g), lab)


CHECK_SHAPES = {
    "t5_encoder": [(1, (0, 0)), (2, (0, 0))],
    "x4_text_encoder": [(1, (0, 0)), (2, (0, 0))],
    "stage1_unet": [(2, (64, 64)), (4, (64, 48))],
    "sr_unet": [(2, (128, 128)), (2, (64, 96))],
    "x4_unet": [(2, (64, 64)), (2, (64, 96))],
    "vae_decoder": [(1, (32, 32)), (2, (16, 24))],
}


def export(pack: str, work: str, guidance: Dict[str, float]) -> dict:
    t5v, clipv = build_vocabs()
    mods, info = build_modules(work, len(t5v), len(clipv))
    g = torch.Generator().manual_seed(SEEDS["eval"])
    total = 0
    for name in COMPONENTS:
        m = mods[name]
        scripted = torch.jit.script(m)
        path = os.path.join(pack, name + ".pt")
        torch.jit.save(scripted, path)
        loaded = torch.jit.load(path, map_location="cpu")
        for b, hw in CHECK_SHAPES[name]:
            x = example_inputs(name, b, hw, len(t5v), len(clipv), g)
            with torch.no_grad():
                ye, yl = m(*x), loaded(*x)
            assert torch.isfinite(yl).all(), name
            assert torch.allclose(ye, yl, atol=1e-4, rtol=1e-3), (name, (ye - yl).abs().max())
        total += os.path.getsize(path)
        log(f"export {name}: {M.count_params(m)} params, {os.path.getsize(path) / 1e6:.2f} MB")
    tiny.write_json(os.path.join(pack, "pack.json"),
                    manifest(clipv["<|endoftext|>"], info["vae_scale_factor"], guidance))
    with open(os.path.join(work, "train_info.json"), "w") as f:
        json.dump(info, f, indent=1)
    log(f"export: {total / 1e6:.2f} MB of TorchScript; {info}")
    return info


def write_static(pack: str) -> None:
    """heldout.txt and the tokenizers (CPU only, deterministic)."""
    os.makedirs(pack, exist_ok=True)
    with open(os.path.join(pack, "heldout.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(W.heldout_prompts()) + "\n")
    t5v, clipv = build_vocabs()
    write_tokenizers(pack, t5v, clipv)


# --------------------------------------------------------------------------
# Python re-implementation of the Java samplers (diffusion/.../sampler)
# --------------------------------------------------------------------------

IF_TABLES = {
    "smart27": [999, 976, 952, 928, 905, 882, 858, 857, 810, 762, 715, 714, 572, 429, 428, 286,
                285, 238, 190, 143, 142, 118, 95, 71, 47, 24, 0],
    "super27": [999, 991, 982, 974, 966, 958, 950, 941, 933, 925, 916, 908, 900, 899, 874, 850,
                825, 800, 799, 700, 600, 500, 400, 300, 200, 100, 0],
    "fast27": [999, 800, 799, 600, 599, 500, 400, 399, 377, 355, 333, 311, 288, 266, 244, 222,
               200, 199, 177, 155, 133, 111, 88, 66, 44, 22, 0],
    "smart50": [999, 988, 977, 966, 955, 944, 933, 922, 911, 900, 899, 879, 859, 840, 820, 800,
                799, 766, 733, 700, 699, 650, 600, 599, 500, 499, 400, 399, 350, 300, 299, 266,
                233, 200, 199, 179, 159, 140, 120, 100, 99, 88, 77, 66, 55, 44, 33, 22,
                11, 0],
}


def timestep_list(name: str) -> List[int]:
    """An IF respacing by name, or "leadingN": diffusers' leading spacing with N
    steps and steps_offset 0 (what the Java side runs from `steps` alone)."""
    if name.startswith("leading"):
        n = int(name[len("leading"):])
        return [(n - 1 - i) * (1000 // n) for i in range(n)]
    return IF_TABLES[name]


def dyn_threshold(x0: torch.Tensor, ratio: float, smax: float) -> torch.Tensor:
    b = x0.shape[0]
    flat = x0.reshape(b, -1)
    s = torch.quantile(flat.abs(), ratio, dim=1).clamp(1.0, smax).view(b, 1)
    return (torch.maximum(torch.minimum(flat, s), -s) / s).reshape(x0.shape)


@torch.no_grad()
def ddpm_sample(unet, emb_c, emb_u, ts: List[int], g: float, shape, gen, abar, smax: float,
                cond: Optional[torch.Tensor] = None, labels: Optional[torch.Tensor] = None):
    """Stage1Sampler / SuperResSampler: [uncond, cond] batch, learned-range DDPM
    step with dynamic thresholding (diffusers DDPMScheduler.step)."""
    dev = emb_c.device
    x = torch.randn(shape, device=dev, generator=gen)
    hidden = torch.cat([emb_u, emb_c])
    B = shape[0]
    for i, t in enumerate(ts):
        inp = x if cond is None else torch.cat([x, cond], dim=1)
        inp = torch.cat([inp, inp])
        tt = torch.full((2 * B,), t, dtype=torch.long, device=dev)
        out = unet(inp, tt, hidden) if labels is None else unet(inp, tt, hidden, labels)
        out = out.float()
        eu, ec = out[:B, :3], out[B:, :3]
        eps = eu + g * (ec - eu)
        v = out[B:, 3:]
        pt = ts[i + 1] if i + 1 < len(ts) else -1
        a_t = float(abar[t])
        a_p = float(abar[pt]) if pt >= 0 else 1.0
        b_t, b_p = 1 - a_t, 1 - a_p
        cur_a = a_t / a_p
        cur_b = 1 - cur_a
        x0 = (x - b_t ** 0.5 * eps) / a_t ** 0.5
        x0 = dyn_threshold(x0, 0.95, smax)
        mean = x0 * (a_p ** 0.5 * cur_b / b_t) + x * (cur_a ** 0.5 * b_p / b_t)
        if t > 0:
            pv = max(b_p / b_t * cur_b, 1e-20)
            frac = (v + 1) / 2
            logvar = frac * math.log(cur_b) + (1 - frac) * math.log(pv)
            mean = mean + torch.exp(0.5 * logvar) * torch.randn(x.shape, device=dev, generator=gen)
        x = mean
    return x


@torch.no_grad()
def x4_sample(unet, dec, emb_c, emb_u, low: torch.Tensor, steps: int, g: float, noise_level: int,
              scale: float, gen):
    """UpscaleSampler: DDIM (eta 0, leading, offset 1, v-prediction), then the decoder."""
    dev = low.device
    abar = scaled_linear_abar().to(dev)
    a = float(abar[noise_level])
    img = a ** 0.5 * low + (1 - a) ** 0.5 * torch.randn(low.shape, device=dev, generator=gen)
    B = low.shape[0]
    lat = torch.randn(B, 4, low.shape[2], low.shape[3], device=dev, generator=gen)
    hidden = torch.cat([emb_u, emb_c])
    img2 = torch.cat([img, img])
    labels = torch.full((2 * B,), noise_level, dtype=torch.long, device=dev)
    ratio = 1000 // steps
    ts = [(steps - 1 - i) * ratio + 1 for i in range(steps)]
    for t in ts:
        inp = torch.cat([torch.cat([lat, lat]), img2], dim=1)
        out = unet(inp, torch.full((2 * B,), t, dtype=torch.long, device=dev), hidden, labels).float()
        v = out[:B] + g * (out[B:] - out[:B])
        pt = t - ratio
        a_t = float(abar[t])
        a_p = float(abar[pt]) if pt >= 0 else float(abar[0])
        x0 = a_t ** 0.5 * lat - (1 - a_t) ** 0.5 * v
        eps = a_t ** 0.5 * v + (1 - a_t) ** 0.5 * lat
        lat = a_p ** 0.5 * x0 + (1 - a_p) ** 0.5 * eps
    return dec(lat / scale).float().clamp(-1, 1)


class Cascade:
    def __init__(self, mods: Dict[str, nn.Module], scale: float, dev, micro: bool = False):
        self.micro = micro
        self.m = {k: v.to(dev) for k, v in mods.items()}
        self.scale = scale
        self.dev = dev
        t5v, clipv = build_vocabs()
        self.tok = Tok(t5v, clipv)
        self.cos = cosine_abar()

    def t5(self, prompts: List[str]) -> torch.Tensor:
        enc = [self.tok.t5(p) for p in prompts]
        ids = torch.tensor([a for a, _ in enc], device=self.dev)
        mask = torch.tensor([b for _, b in enc], device=self.dev)
        return self.m["t5_encoder"](ids, mask).float()

    def clip(self, prompts: List[str]) -> torch.Tensor:
        ids = torch.tensor([self.tok.clip(p) for p in prompts], device=self.dev)
        return self.m["x4_text_encoder"](ids).float()

    def steps(self, name: str) -> List[int]:
        return [999, 500, 0] if self.micro else timestep_list(name)

    def stage1(self, prompts, g, gen, ts="smart27", batch=100):
        outs = []
        for s in range(0, len(prompts), batch):
            p = prompts[s:s + batch]
            e = self.t5(p)
            u = self.t5([""] * len(p))
            outs.append(ddpm_sample(self.m["stage1_unet"], e, u, self.steps(ts), g, (len(p), 3, 64, 64),
                                    gen, self.cos, 1.5))
        return torch.cat(outs)

    def sr(self, prompts, low64, g, gen, ts="smart27", noise_level=SR_NOISE_LEVEL, batch=50):
        outs = []
        for s in range(0, len(prompts), batch):
            p = prompts[s:s + batch]
            lo = low64[s:s + batch]
            e = self.t5(p)
            u = self.t5([""] * len(p))
            up = F.interpolate(lo, size=(256, 256), mode="bilinear", align_corners=True)
            a = float(self.cos[noise_level])
            up = a ** 0.5 * up + (1 - a) ** 0.5 * torch.randn(up.shape, device=self.dev, generator=gen)
            labels = torch.full((2 * len(p),), noise_level, dtype=torch.long, device=self.dev)
            outs.append(ddpm_sample(self.m["sr_unet"], e, u, self.steps(ts), g, (len(p), 3, 256, 256),
                                    gen, self.cos, 1.0, cond=up, labels=labels))
        return torch.cat(outs)

    def x4(self, prompts, low256, g, gen, steps=STEPS["upscale"], noise_level=X4_NOISE_LEVEL, batch=25):
        """x4 upscaler (steps DDIM steps; 2 in micro runs)."""
        outs = []
        for s in range(0, len(prompts), batch):
            p = prompts[s:s + batch]
            e = self.clip(p)
            u = self.clip([""] * len(p))
            outs.append(x4_sample(self.m["x4_unet"], self.m["vae_decoder"], e, u, low256[s:s + batch],
                                  2 if self.micro else steps, g, noise_level, self.scale, gen))
        return torch.cat(outs)


def save_png(x255: torch.Tensor, path: str) -> None:
    from PIL import Image
    arr = x255.clamp(0, 255).round().byte().permute(1, 2, 0).cpu().numpy()
    Image.fromarray(arr).save(path, optimize=True)


def load_pack_modules(pack: str, dev) -> Dict[str, nn.Module]:
    """The exported TorchScript components (for evaluating a finished pack)."""
    with open(os.path.join(pack, "pack.json")) as f:
        comps = json.load(f)["components"]
    return {k: torch.jit.load(os.path.join(pack, v["file"]), map_location=dev).eval()
            for k, v in comps.items()}


def evaluate(pack: str, work: str, docs: str, dev, micro: bool, mods=None, info=None) -> dict:
    t5v, clipv = build_vocabs()
    if mods is None:
        mods, info = build_modules(work, len(t5v), len(clipv))
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    cas = Cascade(mods, info["vae_scale_factor"], dev, micro)
    renderer = W.Renderer(dev)
    checker = W.Checker(renderer, 64, read_numbers=not micro)
    held = W.heldout_prompts()
    vrng = random.Random(SEEDS["validation"])
    val = []
    while len(val) < len(held):
        s = W.sample_scene(vrng, vrng.choice(["one", "two", "three", "sign"]))
        if s["caption"] not in held and s["caption"] not in val:
            val.append(s["caption"])
    if micro:
        held, val = held[::25], val[::25]
    gen = torch.Generator(device=dev)
    res: dict = {"train": info}
    t0 = time.time()
    # guidance for stage 1: chosen on the validation prompts (not the held-out ones)
    sweep = {}
    for g in ([5.0] if micro else [3.0, 5.0, 7.0]):
        gen.manual_seed(SEEDS["eval"])
        imgs = cas.stage1(val, g, gen)
        sweep[str(g)] = W.summarise(checker.check(W.to_255(imgs), val))["all"]
    g1 = float(max(sweep, key=lambda k: (sweep[k], -abs(float(k) - 7.0))))
    res["validation_stage1_guidance_sweep"] = sweep
    log(f"eval: stage-1 guidance sweep on validation prompts {sweep} -> {g1} ({time.time() - t0:.0f}s)")
    # SR / x4 guidance: PSNR on validation ground truth
    vsc = [W.parse_caption(c) for c in val]
    vgt = renderer.render(vsc, random.Random(SEEDS["validation"]), outs=(1024, 256, 64), chunk=8)
    vgt = {k: v.round() for k, v in vgt.items()}
    n_ps = len(val) if micro else 40
    sr_sweep, x4_sweep = {}, {}
    for g in ([4.0] if micro else [1.0, 4.0]):
        gen.manual_seed(SEEDS["eval"])
        out = cas.sr(val[:n_ps], W.to_model(vgt[64][:n_ps]), g, gen)
        sr_sweep[str(g)] = round(psnr(to255(out), vgt[256][:n_ps]), 3)
        gen.manual_seed(SEEDS["eval"])
        out = cas.x4(val[:n_ps], W.to_model(vgt[256][:n_ps]), g, gen)
        x4_sweep[str(g)] = round(psnr(to255(out), vgt[1024][:n_ps]), 3)
    g2 = float(max(sr_sweep, key=lambda k: sr_sweep[k]))
    g3 = float(max(x4_sweep, key=lambda k: x4_sweep[k]))
    res["validation_sr_guidance_psnr"] = sr_sweep
    res["validation_x4_guidance_psnr"] = x4_sweep
    guidance = {"stage1": g1, "sr": g2, "upscale": g3}
    res["guidance"] = guidance
    log(f"eval: SR guidance PSNR {sr_sweep} -> {g2}; x4 {x4_sweep} -> {g3} ({time.time() - t0:.0f}s)")
    # SR noise_level x respacing and x4 noise_level x DDIM steps, chosen by PSNR
    # on the validation ground truth (bicubic listed for reference)
    def sweep(results: dict, grid, run) -> str:
        for a, b in grid:
            key = f"{a}/{b}"
            if key not in results:
                gen.manual_seed(SEEDS["eval"])
                results[key] = round(run(a, b), 3)
        return max([k for k in results if k != "bicubic"], key=lambda k: results[k])

    def bicubic(lo, hi, size):
        return round(psnr(F.interpolate(lo, size=(size, size), mode="bicubic", align_corners=False)
                          .clamp(0, 255).round(), hi), 3)

    nl_sweep = {"250/smart27": sr_sweep[str(g2)], "bicubic": bicubic(vgt[64][:n_ps], vgt[256][:n_ps], 256)}
    st_sweep = {"20/20": x4_sweep[str(g3)], "bicubic": bicubic(vgt[256][:n_ps], vgt[1024][:n_ps], 1024)}
    sr_grid = [(nl, ts) for nl in (250, 100, 50, 25, 0)
               for ts in ("smart27", "super27", "fast27", "smart50", "leading25", "leading50")]
    x4_grid = [(nl, st) for nl in (20, 10, 5, 0) for st in (10, 20, 30)]
    if micro:
        sr_grid, x4_grid = [(0, "smart27")], [(0, 10)]
    best = sweep(nl_sweep, sr_grid,
                 lambda nl, ts: psnr(to255(cas.sr(val[:n_ps], W.to_model(vgt[64][:n_ps]), g2, gen,
                                                  ts=ts, noise_level=nl)), vgt[256][:n_ps]))
    sr_noise, sr_ts = int(best.split("/")[0]), best.split("/")[1]
    best = sweep(st_sweep, x4_grid,
                 lambda nl, st: psnr(to255(cas.x4(val[:n_ps], W.to_model(vgt[256][:n_ps]), g3, gen,
                                                  steps=st, noise_level=nl)), vgt[1024][:n_ps]))
    x4_noise, x4_steps = int(best.split("/")[0]), int(best.split("/")[1])
    res["validation_sr_noise_level_timesteps_psnr"] = nl_sweep
    res["sr_noise_level"] = sr_noise
    res["sr_timesteps"] = sr_ts
    log(f"eval: SR noise level/timesteps PSNR {nl_sweep} -> {sr_noise} {sr_ts}")
    res["validation_x4_noise_level_steps_psnr"] = st_sweep
    res["x4_steps"] = x4_steps
    res["x4_noise_level"] = x4_noise
    log(f"eval: x4 noise level/steps PSNR {st_sweep} -> {x4_noise} {x4_steps}")
    # held-out: full cascade
    gen.manual_seed(SEEDS["eval"] + 1)
    s1 = cas.stage1(held, g1, gen)
    c64 = checker.check(W.to_255(s1), held)
    res["heldout_fidelity_64"] = W.summarise(c64)
    s2 = cas.sr(held, s1.clamp(-1, 1), g2, gen, ts=sr_ts, noise_level=sr_noise)
    s3 = cas.x4(held, s2.clamp(-1, 1), g3, gen, steps=x4_steps, noise_level=x4_noise)
    c1024 = checker.check(W.to_255(s3), held)
    res["heldout_fidelity_1024"] = W.summarise(c1024)
    res["heldout_fidelity_256"] = W.summarise(checker.check(W.to_255(s2), held))
    log(f"eval: held-out fidelity 64 {res['heldout_fidelity_64']}")
    log(f"eval: held-out fidelity 1024 {res['heldout_fidelity_1024']} ({time.time() - t0:.0f}s)")
    # PSNR vs bicubic on held-out ground truth
    hsc = [W.parse_caption(c) for c in held]
    gt = renderer.render(hsc, random.Random(SEEDS["eval"]), outs=(1024, 256, 64), chunk=8)
    gt = {k: v.round() for k, v in gt.items()}
    gen.manual_seed(SEEDS["eval"] + 2)
    sr_out = cas.sr(held, W.to_model(gt[64]), g2, gen, ts=sr_ts, noise_level=sr_noise)
    bic256 = F.interpolate(gt[64], size=(256, 256), mode="bicubic", align_corners=False).clamp(0, 255).round()
    bil256 = F.interpolate(W.to_model(gt[64]), size=(256, 256), mode="bilinear",
                           align_corners=True)
    x4_out = cas.x4(held, W.to_model(gt[256]), g3, gen, steps=x4_steps, noise_level=x4_noise)
    bic1024 = F.interpolate(gt[256], size=(1024, 1024), mode="bicubic", align_corners=False).clamp(0, 255).round()
    res["psnr"] = {
        "sr_256": round(psnr(to255(sr_out), gt[256]), 3),
        "sr_noise_level": sr_noise,
        "sr_timesteps": sr_ts,
        "x4_noise_level": x4_noise,
        "bicubic_256": round(psnr(bic256, gt[256]), 3),
        "bilinear_align_corners_256": round(psnr(to255(bil256), gt[256]), 3),
        "x4_1024": round(psnr(to255(x4_out), gt[1024]), 3),
        "x4_steps": x4_steps,
        "bicubic_1024": round(psnr(bic1024, gt[1024]), 3),
        "n_images": len(held),
        "note": "SR input: ground-truth 64 px render at sr_noise_level over sr_timesteps; x4 input: "
                "ground-truth 256 px render at x4_noise_level, x4_steps DDIM steps; pack-default guidance; "
                "PSNR over all pixels (0..255)",
    }
    ck = os.path.join(work, "ckpt_x4.pt")
    if os.path.exists(ck):       # (absent when evaluating an exported pack alone)
        with torch.no_grad():
            enc = M.VAEEncoder().to(dev)
            enc.load_state_dict(torch.load(ck, map_location="cpu")["vae_encoder"])
            rec = torch.cat([cas.m["vae_decoder"](enc(W.to_model(gt[1024][i:i + 10]))[0])
                             for i in range(0, len(held), 10)])
            res["psnr"]["vae_reconstruction_1024"] = round(psnr(to255(rec), gt[1024]), 3)
    log(f"eval: PSNR {res['psnr']} ({time.time() - t0:.0f}s)")
    # examples for docs/: one prompt of each of three kinds
    os.makedirs(docs, exist_ok=True)
    picks = [0, 35, 85] if not micro else [0, 1, 3]
    ex = []
    for i in picks:
        p = held[i]
        slug = f"heldout{i:03d}"
        save_png(W.to_255(s1[i]), os.path.join(docs, f"{slug}_64.png"))
        save_png(W.to_255(s2[i]), os.path.join(docs, f"{slug}_256.png"))
        save_png(W.to_255(s3[i]), os.path.join(docs, f"{slug}_1024.png"))
        ex.append({"prompt": p, "files": [f"{slug}_64.png", f"{slug}_256.png", f"{slug}_1024.png"],
                   "check_64": c64[i], "check_1024": c1024[i]})
    res["examples"] = ex
    # a contact sheet of all held-out stage-1 outputs (10 x 10 at 64 px)
    n = len(held)
    cols = 10
    sheet = torch.full((3, 64 * ((n + cols - 1) // cols), 64 * cols), 255.0, device=dev)
    for i in range(n):
        r, c = divmod(i, cols)
        sheet[:, r * 64:(r + 1) * 64, c * 64:(c + 1) * 64] = W.to_255(s1[i])
    save_png(sheet, os.path.join(docs, "heldout_stage1_sheet.png"))
    res["per_prompt_64"] = [{"caption": r["caption"], "pass": r["pass"]} for r in c64]
    res["per_prompt_1024"] = [{"caption": r["caption"], "pass": r["pass"]} for r in c1024]
    res["eval_seconds"] = round(time.time() - t0, 1)
    with open(os.path.join(work, "eval.json"), "w") as f:
        json.dump(res, f, indent=1)
    return res


# --------------------------------------------------------------------------

def config(args) -> dict:
    micro = args.micro
    cfg = {
        "device": args.device, "work": os.path.abspath(args.work),
        "pool_stage1": 40000, "refresh_stage1": 8, "batch_stage1": 256, "lr_stage1": 6e-4,
        "pool_sr": 8000, "refresh_sr": 4, "batch_sr": 48, "lr_sr": 5e-4,
        "pool_vae": 600, "refresh_vae": 2, "batch_vae": 24, "crop_vae": 256, "lr_vae": 6e-4,
        "vae_fraction": 0.25, "pool_x4": 3000, "refresh_x4": 2, "batch_x4": 32, "lr_x4": 5e-4,
        "warmup": 100, "ema": 0.999,
        "snapshot_every": 15.0, "canvas": W.CANVAS, "pool_seconds": 25.0,
    }
    if micro:
        cfg.update(pool_stage1=16, refresh_stage1=2, batch_stage1=4, pool_sr=8, refresh_sr=1, batch_sr=2,
                   pool_vae=4, refresh_vae=0, batch_vae=2, crop_vae=128, pool_x4=4, refresh_x4=0,
                   batch_x4=2, max_steps_stage1=6, max_steps_sr=4, max_steps_vae=3, max_steps_x4=3,
                   snapshot_every=0.0, canvas=256)
    for k, v in (args.set or []):
        cfg[k] = type(cfg[k])(v) if k in cfg else float(v)
    return cfg


def ship(pack: str, out: Optional[str]) -> None:
    """Tar the pack into `out` in 15 MB parts (the GPU machine returns files of
    at most 16 MiB); done right after export and again after evaluation."""
    if not out:
        return
    import glob
    import subprocess
    for f in glob.glob(os.path.join(out, "pack.tar.*")):
        os.remove(f)
    pack = os.path.abspath(pack)
    subprocess.run(f"tar cf - -C {os.path.dirname(pack)} {os.path.basename(pack)} | "
                   f"split -b 15m - {os.path.join(out, 'pack.tar.')}", shell=True, check=True)
    log(f"shipped pack to {out}")


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--docs", default=None)
    ap.add_argument("--out", default=None, help="also write the pack as pack.tar.* (15 MB parts) here")
    ap.add_argument("--budget", type=float, default=430.0, help="training seconds (wall clock)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--micro", action="store_true")
    ap.add_argument("--skip-train", action="store_true")
    ap.add_argument("--skip-eval", action="store_true")
    ap.add_argument("--eval-pack", action="store_true",
                    help="evaluate the exported pack in --pack (TorchScript files + WORK/train_info.json), "
                         "no training or export; rewrites pack.json with the chosen sampling settings")
    ap.add_argument("--set", nargs=2, action="append", metavar=("KEY", "VALUE"))
    args = ap.parse_args(argv)
    t0 = time.time()
    os.makedirs(args.work, exist_ok=True)
    write_static(args.pack)
    cfg = config(args)
    cfg["deadline"] = t0 + args.budget
    log(f"config {json.dumps(cfg)}")
    if not args.skip_train and not args.eval_pack:
        for f in ("t5_snapshot.pt",):
            if os.path.exists(os.path.join(args.work, f)):
                os.remove(os.path.join(args.work, f))
        ctx = torch.multiprocessing.get_context("spawn")
        procs = {n: ctx.Process(target=_run_worker, args=(n, cfg), name=n) for n in WORKERS}
        for p in procs.values():
            p.start()
        for n, p in procs.items():
            p.join(timeout=max(1.0, cfg["deadline"] + 120 - time.time()))
            if p.is_alive():
                p.terminate()
                raise SystemExit(f"worker {n} did not finish")
            if p.exitcode != 0:
                raise SystemExit(f"worker {n} failed: exit code {p.exitcode}")
        log(f"training done in {time.time() - t0:.0f}s")
    dev = torch.device(args.device)
    mods = info = None
    if args.eval_pack:
        mods = load_pack_modules(args.pack, dev)
        with open(os.path.join(args.work, "train_info.json")) as f:
            info = json.load(f)
    else:
        guidance = {"stage1": 7.0, "sr": 4.0, "upscale": 4.0}
        export(args.pack, args.work, guidance)        # provisional guidance, rewritten after eval
        write_sums(args.pack)
        ship(args.pack, args.out)
    if not args.skip_eval:
        res = evaluate(args.pack, args.work, args.docs or os.path.join(args.work, "docs"), dev, args.micro,
                       mods, info)
        t5v, clipv = build_vocabs()
        info = res["train"]
        tiny.write_json(os.path.join(args.pack, "pack.json"),
                        manifest(clipv["<|endoftext|>"], info["vae_scale_factor"], res["guidance"],
                                 res["sr_noise_level"], res["x4_steps"], res["sr_timesteps"],
                                 res["x4_noise_level"]))
        write_sums(args.pack)
        if not args.eval_pack:
            ship(args.pack, args.out)
        log("summary " + json.dumps({k: res[k] for k in ("guidance", "heldout_fidelity_64",
                                                          "heldout_fidelity_1024", "psnr")}))
    log(f"all done in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
                  dict(os.environ, PYTHONHASHSEED="0"))
    sys.exit(main(sys.argv[1:]))

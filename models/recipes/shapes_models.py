"""Networks of the shapes pack, with the IF tensor contract of models/README.md.

Everything here is TorchScript-scriptable under torch 1.13 (Debian's
python3-torch, used to check the exported files) and torch 2.x (the GPU
machine that trains them), and uses only ops that libtorch 2.5.1 (DJL 0.33)
runs: attention is written out with matmul/softmax, no SDPA.

Cheap at high resolution: stage I works at 1/2 .. 1/8 of its 64 px input after
a pixel-unshuffle; the SR and x4 UNets at 1/4 and 1/8 (pixel-unshuffle by 4);
the VAE decoder is two sub-pixel (pixel_shuffle) x2 upsampling stages.
"""

import math
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_LEN = 77


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding, cos first (diffusers flip_sin_to_cos=True)."""
    half = dim // 2
    exponent = torch.arange(half, dtype=torch.float32, device=t.device) * (-math.log(10000.0) / half)
    args = t.to(torch.float32).unsqueeze(1) * torch.exp(exponent).unsqueeze(0)
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        var = x.float().pow(2).mean(dim=-1, keepdim=True)
        return (x.float() * torch.rsqrt(var + self.eps)).to(x.dtype) * self.weight.to(x.dtype)


class MHA(nn.Module):
    def __init__(self, dim: int, ctx_dim: int, heads: int, bias: bool = False):
        super().__init__()
        self.heads = heads
        self.dh = dim // heads
        self.scale = 1.0 / math.sqrt(self.dh)
        self.q = nn.Linear(dim, dim, bias=bias)
        self.k = nn.Linear(ctx_dim, dim, bias=bias)
        self.v = nn.Linear(ctx_dim, dim, bias=bias)
        self.o = nn.Linear(dim, dim, bias=bias)

    def forward(self, x: torch.Tensor, ctx: torch.Tensor,
                bias: Optional[torch.Tensor] = None) -> torch.Tensor:
        b = x.shape[0]
        n = x.shape[1]
        m = ctx.shape[1]
        q = self.q(x).reshape(b, n, self.heads, self.dh).transpose(1, 2)
        k = self.k(ctx).reshape(b, m, self.heads, self.dh).transpose(1, 2)
        v = self.v(ctx).reshape(b, m, self.heads, self.dh).transpose(1, 2)
        att = torch.matmul(q * self.scale, k.transpose(2, 3))
        if bias is not None:
            att = att + bias.to(att.dtype)
        att = torch.softmax(att.float(), dim=-1).to(v.dtype)
        out = torch.matmul(att, v).transpose(1, 2).reshape(b, n, self.heads * self.dh)
        return self.o(out)


# ---------------------------------------------------------------- text encoders

class T5Block(nn.Module):
    def __init__(self, dim: int, heads: int, ff: int):
        super().__init__()
        self.ln1 = RMSNorm(dim)
        self.attn = MHA(dim, dim, heads)
        self.ln2 = RMSNorm(dim)
        self.wi = nn.Linear(dim, ff, bias=False)
        self.wo = nn.Linear(ff, dim, bias=False)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        x = x + self.attn(h, h, bias)
        return x + self.wo(F.gelu(self.wi(self.ln2(x))))


class T5Encoder(nn.Module):
    """input_ids (B,77) int64, attention_mask (B,77) int64 -> (B,77,D).
    Pre-norm transformer with a key mask, like T5's encoder (learned absolute
    positions instead of relative buckets). Masked positions still get
    (deterministic) outputs, as the real T5 does."""

    def __init__(self, vocab: int, dim: int = 128, layers: int = 3, heads: int = 4,
                 ff: int = 256, max_len: int = MAX_LEN):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        self.blocks = nn.ModuleList([T5Block(dim, heads, ff) for _ in range(layers)])
        self.final_norm = RMSNorm(dim)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        n = input_ids.shape[1]
        x = self.embed(input_ids) + self.pos[:n].unsqueeze(0)
        bias = (1.0 - attention_mask.to(torch.float32)).unsqueeze(1).unsqueeze(2) * -10000.0
        for blk in self.blocks:
            x = blk(x, bias)
        return self.final_norm(x)


class CLIPLayer(nn.Module):
    def __init__(self, dim: int, heads: int, ff: int):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = MHA(dim, dim, heads, bias=True)
        self.ln2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, ff)
        self.fc2 = nn.Linear(ff, dim)

    def forward(self, x: torch.Tensor, causal: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        x = x + self.attn(h, h, causal)
        h = self.fc1(self.ln2(x))
        return x + self.fc2(h * torch.sigmoid(1.702 * h))  # quick_gelu


class CLIPTextEncoder(nn.Module):
    """input_ids (B,77) int64 -> (B,77,Dc): causal transformer like CLIP's text tower."""

    def __init__(self, vocab: int, dim: int = 64, layers: int = 2, heads: int = 4,
                 ff: int = 256, max_len: int = MAX_LEN):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        self.layers = nn.ModuleList([CLIPLayer(dim, heads, ff) for _ in range(layers)])
        self.final_ln = nn.LayerNorm(dim)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        n = input_ids.shape[1]
        x = self.embed(input_ids) + self.pos[:n].unsqueeze(0)
        causal = torch.triu(torch.full([n, n], -10000.0, dtype=torch.float32,
                                       device=x.device), diagonal=1)
        for layer in self.layers:
            x = layer(x, causal)
        return self.final_ln(x)


# ---------------------------------------------------------------- UNet blocks

class ResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, tdim: int, groups: int = 16):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.temb = nn.Linear(tdim, 2 * cout)          # scale-shift (FiLM), as IF's UNets
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()
        nn.init.zeros_(self.conv2.weight)
        nn.init.zeros_(self.conv2.bias)

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        ss = self.temb(temb).unsqueeze(2).unsqueeze(3)
        c = h.shape[1]
        h = self.norm2(h) * (1.0 + ss[:, :c]) + ss[:, c:]
        h = self.conv2(F.silu(h))
        return self.skip(x) + h


class CrossAttn2d(nn.Module):
    """Attention from a feature map onto text tokens (and optionally onto itself)."""

    def __init__(self, ch: int, ctx_dim: int, heads: int, self_attn: bool):
        super().__init__()
        self.self_attn = self_attn
        self.norm_s = nn.GroupNorm(16, ch)
        self.attn_s = MHA(ch, ch, heads, bias=False)
        self.norm = nn.GroupNorm(16, ch)
        self.ctx_norm = nn.LayerNorm(ctx_dim)
        self.attn = MHA(ch, ctx_dim, heads, bias=False)
        nn.init.zeros_(self.attn.o.weight)
        nn.init.zeros_(self.attn_s.o.weight)

    def forward(self, x: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
        if self.self_attn:
            hs = self.norm_s(x).reshape(b, c, h * w).transpose(1, 2)
            x = x + self.attn_s(hs, hs).transpose(1, 2).reshape(b, c, h, w)
        hs = self.norm(x).reshape(b, c, h * w).transpose(1, 2)
        out = self.attn(hs, self.ctx_norm(ctx))
        return x + out.transpose(1, 2).reshape(b, c, h, w)


class TimeText(nn.Module):
    """timestep (+ optional noise-level class label) + pooled text -> temb."""

    def __init__(self, ctx_dim: int, tdim: int, with_class: bool, freq_dim: int = 128):
        super().__init__()
        self.freq_dim = freq_dim
        self.t1 = nn.Linear(freq_dim, tdim)
        self.t2 = nn.Linear(tdim, tdim)
        self.with_class = with_class
        self.c1 = nn.Linear(freq_dim, tdim)
        self.c2 = nn.Linear(tdim, tdim)
        self.text_norm = nn.LayerNorm(ctx_dim)
        self.text = nn.Linear(ctx_dim, tdim)

    def forward(self, timestep: torch.Tensor, ctx: torch.Tensor,
                class_labels: Optional[torch.Tensor]) -> torch.Tensor:
        e = self.t2(F.silu(self.t1(timestep_embedding(timestep, self.freq_dim))))
        if class_labels is not None:
            e = e + self.c2(F.silu(self.c1(timestep_embedding(class_labels, self.freq_dim))))
        e = e + self.text(self.text_norm(ctx).mean(dim=1))
        return F.silu(e)


class ResOnly(nn.Module):
    def __init__(self, cin: int, cout: int, tdim: int):
        super().__init__()
        self.res = ResBlock(cin, cout, tdim)

    def forward(self, x: torch.Tensor, temb: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
        return self.res(x, temb)


class ResAttn(nn.Module):
    def __init__(self, cin: int, cout: int, tdim: int, ctx_dim: int, self_attn: bool):
        super().__init__()
        self.res = ResBlock(cin, cout, tdim)
        self.attn = CrossAttn2d(cout, ctx_dim, 4, self_attn)

    def forward(self, x: torch.Tensor, temb: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
        return self.attn(self.res(x, temb), ctx)


class Level(nn.Module):
    """n ResBlocks, each optionally followed by (self+)cross attention."""

    def __init__(self, cin: int, cout: int, n: int, tdim: int, ctx_dim: int,
                 attn: bool, self_attn: bool):
        super().__init__()
        blocks = []
        for i in range(n):
            ci = cin if i == 0 else cout
            blocks.append(ResAttn(ci, cout, tdim, ctx_dim, self_attn) if attn
                          else ResOnly(ci, cout, tdim))
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor, temb: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
        for blk in self.blocks:
            x = blk(x, temb, ctx)
        return x


class UNet(nn.Module):
    """Three-level UNet behind a pixel-unshuffle by `unshuffle`:
    (B, cin, H, W) -> (B, cout, H, W). Levels at H/u, H/2u, H/4u with widths
    chans[0..2]; cross-attention at levels 1 and 2, self-attention at level 2
    (`attn0` adds cross-attention at level 0 too). Channels >= tanh_from of the
    output are tanh-squashed (the learned-range variance value)."""

    def __init__(self, cin: int, cout: int, ctx_dim: int, chans: List[int], unshuffle: int,
                 tdim: int, with_class: bool, tanh_from: int, nres: int = 2, attn0: bool = False):
        super().__init__()
        c0, c1, c2 = chans[0], chans[1], chans[2]
        u = unshuffle
        self.u = u
        self.cout = cout
        self.tanh_from = tanh_from
        self.with_class = with_class
        self.emb = TimeText(ctx_dim, tdim, with_class)
        self.conv_in = nn.Conv2d(cin * u * u, c0, 3, padding=1)
        self.d0 = Level(c0, c0, nres, tdim, ctx_dim, attn0, False)
        self.ds0 = nn.Conv2d(c0, c1, 3, stride=2, padding=1)
        self.d1 = Level(c1, c1, nres, tdim, ctx_dim, True, False)
        self.ds1 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.mid = Level(c2, c2, nres, tdim, ctx_dim, True, True)
        self.us1 = nn.Conv2d(c2, c1, 3, padding=1)
        self.u1 = Level(2 * c1, c1, nres, tdim, ctx_dim, True, False)
        self.us0 = nn.Conv2d(c1, c0, 3, padding=1)
        self.u0 = Level(2 * c0, c0, nres, tdim, ctx_dim, attn0, False)
        self.norm_out = nn.GroupNorm(16, c0)
        self.conv_out = nn.Conv2d(c0, cout * u * u, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def run(self, sample: torch.Tensor, timestep: torch.Tensor, ctx: torch.Tensor,
            class_labels: Optional[torch.Tensor]) -> torch.Tensor:
        temb = self.emb(timestep, ctx, class_labels)
        x = sample
        if self.u > 1:
            x = F.pixel_unshuffle(x, self.u)
        h0 = self.d0(self.conv_in(x), temb, ctx)
        h1 = self.d1(self.ds0(h0), temb, ctx)
        h = self.mid(self.ds1(h1), temb, ctx)
        h = self.us1(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.u1(torch.cat([h, h1], dim=1), temb, ctx)
        h = self.us0(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.u0(torch.cat([h, h0], dim=1), temb, ctx)
        out = self.conv_out(F.silu(self.norm_out(h)))
        if self.u > 1:
            out = F.pixel_shuffle(out, self.u)
        out = out.float()
        if self.tanh_from < self.cout:
            out = torch.cat([out[:, :self.tanh_from], torch.tanh(out[:, self.tanh_from:])], dim=1)
        return out


def cosine_alphas_cumprod() -> torch.Tensor:
    """squaredcos_cap_v2 alphas_cumprod (float32, as diffusers and the Java side)."""
    f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    betas = torch.tensor([min(1 - f((i + 1) / 1000) / f(i / 1000), 0.999) for i in range(1000)],
                         dtype=torch.float32)
    return torch.cumprod(1 - betas, 0)


def scaled_linear_alphas_cumprod(b0: float = 1e-4, b1: float = 0.02) -> torch.Tensor:
    betas = torch.linspace(b0 ** 0.5, b1 ** 0.5, 1000, dtype=torch.float32) ** 2
    return torch.cumprod(1 - betas, 0)


def precondition(x_t: torch.Tensor, a_t: torch.Tensor, m2: torch.Tensor, v2: torch.Tensor,
                 residual: torch.Tensor) -> torch.Tensor:
    """x0 estimate: the inverse-variance combination of the two Gaussian
    estimates of x0 that the inputs give -- x_t / sqrt(a_t) (variance
    (1 - a_t) / a_t) and the conditioning's m2 (variance v2) -- plus the
    network's residual scaled by the combined standard deviation (the
    c_skip / c_out preconditioning of Karras et al. 2022, with a second skip
    from the conditioning). With a zero residual the model already follows the
    low-res image where x_t carries no information."""
    a = a_t.clamp(1e-20, 1.0 - 1e-7)
    m1 = x_t / a.sqrt()
    v1 = (1.0 - a) / a
    w = v2 / (v1 + v2)
    c_out = torch.sqrt(v1 * v2 / (v1 + v2))
    return w * m1 + (1.0 - w) * m2 + c_out * residual


class Stage1UNet(nn.Module):
    """sample (2B,3,H,W), timestep (2B,), ehs (2B,77,D) -> (2B,6,H,W):
    channels 0-2 epsilon, 3-5 the tanh-squashed learned-range variance value.

    The UNet predicts an x0 residual over the preconditioned estimate (prior
    mean 0, variance `data_var`; see `precondition`); forward returns
    eps = (x_t - sqrt(a_t) x0) / sqrt(1 - a_t), the IF contract's output."""

    def __init__(self, ctx_dim: int, chans: List[int] = [64, 128, 192], tdim: int = 256,
                 data_var: float = 0.4):
        super().__init__()
        self.net = UNet(3, 6, ctx_dim, chans, 2, tdim, False, 3)
        self.register_buffer("abar", cosine_alphas_cumprod())
        self.register_buffer("data_var", torch.tensor(data_var))

    def predict(self, sample: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(x0, variance value, alphas_cumprod[t] as (N,1,1,1))."""
        out = self.net.run(sample, timestep, encoder_hidden_states, None)
        x_t = sample.float()
        a_t = self.abar[timestep.clamp(0, 999)].view(-1, 1, 1, 1)
        x0 = precondition(x_t, a_t, torch.zeros_like(x_t), self.data_var, out[:, :3])
        return x0, out[:, 3:], a_t

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor) -> torch.Tensor:
        x0, v, a_t = self.predict(sample, timestep, encoder_hidden_states)
        a = a_t.clamp(1e-20, 1.0 - 1e-7)
        eps = (sample.float() - a.sqrt() * x0) / (1.0 - a).sqrt()
        return torch.cat([eps, v], dim=1)


class SRUNet(nn.Module):
    """sample (2B,6,H,W) = noisy ++ noised upsampled low-res, timestep, ehs (2B,77,D),
    class_labels (noise level) -> (2B,6,H,W) (eps, learned-range value).

    The UNet predicts an x0 residual over the preconditioned estimate (see
    `precondition`); the module returns eps = (x_t - sqrt(a_t) x0) / sqrt(1 - a_t),
    so its output is the usual epsilon prediction of the IF contract."""

    def __init__(self, ctx_dim: int, chans: List[int] = [64, 64, 96], tdim: int = 128,
                 up_error_var: float = 0.005):
        super().__init__()
        self.net = UNet(6, 6, ctx_dim, chans, 4, tdim, True, 3)
        self.register_buffer("abar", cosine_alphas_cumprod())
        self.register_buffer("up_error_var", torch.tensor(up_error_var))

    def predict(self, sample: torch.Tensor, timestep: torch.Tensor, encoder_hidden_states: torch.Tensor,
                class_labels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(x0, variance value, alphas_cumprod[t] as (N,1,1,1))."""
        out = self.net.run(sample, timestep, encoder_hidden_states, class_labels)
        x_t = sample[:, :3].float()
        cond = sample[:, 3:6].float()
        a_t = self.abar[timestep.clamp(0, 999)].view(-1, 1, 1, 1)
        a_s = self.abar[class_labels.clamp(0, 999)].view(-1, 1, 1, 1)
        m2 = cond / a_s.sqrt()
        v2 = (1.0 - a_s) / a_s + self.up_error_var
        x0 = precondition(x_t, a_t, m2, v2, out[:, :3])
        return x0, out[:, 3:], a_t

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor, class_labels: torch.Tensor) -> torch.Tensor:
        x0, v, a_t = self.predict(sample, timestep, encoder_hidden_states, class_labels)
        a = a_t.clamp(1e-20, 1.0 - 1e-7)
        eps = (sample[:, :3].float() - a.sqrt() * x0) / (1.0 - a).sqrt()
        return torch.cat([eps, v], dim=1)


class X4UNet(nn.Module):
    """sample (2B,7,h,w) = 4 latents ++ 3 low-res image, timestep, ehs (2B,77,Dc),
    class_labels (noise level) -> (2B,4,h,w) v-prediction.

    Latent channels 0-2 of the pack's VAE are the area-downscaled image (times
    vae_scale_factor), so the low-res conditioning is a direct Gaussian estimate
    of them; channel 3 has prior mean 0 and variance `ch3_var`. The UNet predicts
    an x0 residual over the preconditioned estimate (see `precondition`); the
    module returns v = (sqrt(a_t) z_t - x0) / sqrt(1 - a_t)."""

    def __init__(self, ctx_dim: int, chans: List[int] = [64, 64, 96], tdim: int = 128,
                 vae_scale: float = 1.0, ch3_var: float = 1.0, low_error_var: float = 1e-4):
        super().__init__()
        self.net = UNet(7, 4, ctx_dim, chans, 4, tdim, True, 4)
        self.register_buffer("abar", scaled_linear_alphas_cumprod())
        self.register_buffer("vae_scale", torch.tensor(vae_scale))
        self.register_buffer("ch3_var", torch.tensor(ch3_var))
        self.register_buffer("low_error_var", torch.tensor(low_error_var))

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor, class_labels: torch.Tensor) -> torch.Tensor:
        out = self.net.run(sample, timestep, encoder_hidden_states, class_labels)
        z_t = sample[:, :4].float()
        cond = sample[:, 4:7].float()
        a_t = self.abar[timestep.clamp(0, 999)].view(-1, 1, 1, 1)
        a_s = self.abar[class_labels.clamp(0, 999)].view(-1, 1, 1, 1)
        s = self.vae_scale
        m_img = cond * s / a_s.sqrt()
        v_img = (s * s) * ((1.0 - a_s) / a_s + self.low_error_var)
        m2 = torch.cat([m_img, torch.zeros_like(m_img[:, :1])], dim=1)
        v2 = torch.cat([v_img.expand(-1, 3, -1, -1), (self.ch3_var + 0.0 * v_img)], dim=1)
        x0 = precondition(z_t, a_t, m2, v2, out)
        a = a_t.clamp(1e-20, 1.0 - 1e-7)
        return (a.sqrt() * z_t - x0) / (1.0 - a).sqrt()


# ---------------------------------------------------------------- VAE

class PlainRes(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(16, c)
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.norm2 = nn.GroupNorm(16, c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        return x + self.conv2(F.silu(self.norm2(h)))


class VAEEncoder(nn.Module):
    """image (B,3,4h,4w) -> mean, logvar (B,4,h,w). Training only (not exported).
    Latent channels 0-2 are the area-downscaled image itself (deterministic,
    logvar -20); channel 3 is a learned Gaussian channel (KL-regularised) that
    carries what the downscaled image does not (sub-pixel edge detail)."""

    def __init__(self, c: int = 96):
        super().__init__()
        self.conv_in = nn.Conv2d(48, c, 3, padding=1)
        self.res1 = PlainRes(c)
        self.res2 = PlainRes(c)
        self.norm = nn.GroupNorm(16, c)
        self.conv_out = nn.Conv2d(c, 2, 3, padding=1)

    def forward(self, x: torch.Tensor):
        h = self.conv_in(F.pixel_unshuffle(x, 4))
        h = self.res2(self.res1(h))
        out = self.conv_out(F.silu(self.norm(h))).float()
        low = F.avg_pool2d(x.float(), 4)
        mean = torch.cat([low, out[:, :1]], dim=1)
        logvar = torch.cat([torch.full_like(low, -20.0), out[:, 1:].clamp(-20.0, 5.0)], dim=1)
        return mean, logvar


class VAEDecoder(nn.Module):
    """latents (B,4,h,w) -> image (B,3,4h,4w) in [-1,1] (clamped when `clamp` is set,
    i.e. in the exported module): a bilinear x4 upsampling of latent channels
    0-2 plus a learned residual from all four channels through two sub-pixel x2
    stages (cheap at 1024 px)."""

    def __init__(self, c: int = 64, c2: int = 32, clamp: bool = False):
        super().__init__()
        self.conv_in = nn.Conv2d(4, c, 3, padding=1)
        self.res = PlainRes(c)
        self.up1 = nn.Conv2d(c, c2 * 4, 1)
        self.conv2 = nn.Conv2d(c2, c2, 3, padding=1)
        self.up2 = nn.Conv2d(c2, 3 * 4, 3, padding=1)
        nn.init.zeros_(self.up2.weight)
        nn.init.zeros_(self.up2.bias)
        self.clamp = clamp

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        base = F.interpolate(latents[:, :3].float(), scale_factor=4.0, mode="bilinear",
                             align_corners=False)
        h = self.res(self.conv_in(latents))
        h = F.pixel_shuffle(self.up1(F.silu(h)), 2)
        h = F.silu(self.conv2(F.silu(h)))
        out = base + F.pixel_shuffle(self.up2(h), 2).float()
        if self.clamp:
            out = out.clamp(-1.0, 1.0)
        return out


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())

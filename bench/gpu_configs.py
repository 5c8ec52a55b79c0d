"""IF-shaped modules for bench/run gpu (random weights) and the calls the bench times.

"full" follows the real layouts as far as they are known here (block types, attention kinds, embeddings, widths
of the public configs; each module's parameter count is printed and recorded, to compare with the model cards:
IF-I-XL 4.3 B, IF-II-L 1.2 B, T5 v1.1 XXL encoder 4.8 B). "tiny" uses make_tiny_if_download's configs (seconds,
for a smoke run of the whole path).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models", "tools"))

IF_UNET_COMMON = dict(
    act_fn="gelu", addition_embed_type="text", addition_embed_type_num_heads=64, attention_head_dim=64,
    cross_attention_norm="group_norm", resnet_time_scale_shift="scale_shift", out_channels=6,
    mid_block_type="UNetMidBlock2DSimpleCrossAttn", encoder_hid_dim=4096, upcast_attention=False)

IF_I_XL = dict(IF_UNET_COMMON, sample_size=64, in_channels=3, layers_per_block=2,
               block_out_channels=[768, 1536, 2304, 3072], cross_attention_dim=4096,
               down_block_types=["ResnetDownsampleBlock2D"] + ["SimpleCrossAttnDownBlock2D"] * 3,
               up_block_types=["SimpleCrossAttnUpBlock2D"] * 3 + ["ResnetUpsampleBlock2D"])

IF_II_L = dict(IF_UNET_COMMON, sample_size=256, in_channels=6, layers_per_block=4,
               block_out_channels=[320, 640, 1280, 1280], cross_attention_dim=1280, class_embed_type="timestep",
               mid_block_scale_factor=1.414, time_embedding_act_fn="gelu", time_embedding_dim=1280,
               down_block_types=["ResnetDownsampleBlock2D"] * 2 + ["SimpleCrossAttnDownBlock2D"] * 2,
               up_block_types=["SimpleCrossAttnUpBlock2D"] * 2 + ["ResnetUpsampleBlock2D"] * 2)

X4_UNET = dict(sample_size=128, in_channels=7, out_channels=4, layers_per_block=2,
               block_out_channels=[256, 512, 512, 1024],
               down_block_types=["DownBlock2D"] + ["CrossAttnDownBlock2D"] * 3,
               up_block_types=["CrossAttnUpBlock2D"] * 3 + ["UpBlock2D"],
               only_cross_attention=[True, True, True, False], cross_attention_dim=1024, attention_head_dim=8,
               use_linear_projection=True, num_class_embeds=1000)

X4_VAE = dict(in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 3,
              up_block_types=["UpDecoderBlock2D"] * 3, block_out_channels=[128, 256, 512], layers_per_block=2,
              latent_channels=4, scaling_factor=0.08333)


def _on_gpu(make, dtype):
    def build():
        with torch.device("cuda"):
            return make().to(dtype)
    return build


def _unet(cfg):
    from diffusers import UNet2DConditionModel
    return lambda: UNet2DConditionModel(**cfg)


def _vae(cfg):
    from diffusers import AutoencoderKL
    return lambda: AutoencoderKL(**cfg)


def _t5(full):
    from transformers import T5Config, T5EncoderModel
    cfg = (dict(vocab_size=32128, d_model=4096, d_kv=64, d_ff=10240, num_layers=24, num_heads=64) if full
           else dict(vocab_size=320, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4))
    return lambda: T5EncoderModel(T5Config(feed_forward_proj="gated-gelu", dropout_rate=0.0, tie_word_embeddings=False,
                                           attn_implementation="eager", **cfg))


def _clip(full):
    from transformers import CLIPTextConfig, CLIPTextModel
    cfg = (dict(vocab_size=49408, hidden_size=1024, intermediate_size=4096, num_hidden_layers=23,
                num_attention_heads=16, projection_dim=512) if full
           else dict(vocab_size=300, hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4))
    return lambda: CLIPTextModel(CLIPTextConfig(max_position_embeddings=77, hidden_act="gelu",
                                                attn_implementation="eager", **cfg))


def _tiny():
    import make_tiny_if_download as tiny
    from diffusers import AutoencoderKL, UNet2DConditionModel

    return {
        "stage1_unet": lambda: tiny.if_unet(2, 64, 3, [8, 16, 16], 2),
        "sr_unet": lambda: tiny.if_unet(3, 256, 6, [8, 8, 16, 16], 3, class_embed_type="timestep",
                                        mid_block_scale_factor=1.414, time_embedding_act_fn="gelu",
                                        time_embedding_dim=32),
        "x4_unet": lambda: UNet2DConditionModel(
            sample_size=128, in_channels=7, out_channels=4, layers_per_block=1, block_out_channels=(8, 8, 16, 16),
            down_block_types=("DownBlock2D", "DownBlock2D", "DownBlock2D", "CrossAttnDownBlock2D"),
            up_block_types=("CrossAttnUpBlock2D", "UpBlock2D", "UpBlock2D", "UpBlock2D"),
            only_cross_attention=(True, True, True, False), cross_attention_dim=32, attention_head_dim=2,
            use_linear_projection=True, num_class_embeds=1000, norm_num_groups=8),
        "vae_decoder": lambda: AutoencoderKL(
            in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 3,
            up_block_types=["UpDecoderBlock2D"] * 3, block_out_channels=[8, 8, 16], layers_per_block=1,
            latent_channels=4, norm_num_groups=8, scaling_factor=0.08333, mid_block_add_attention=False),
    }


def widths(scale):
    return (4096, 1024) if scale == "full" else (32, 32)


def modules(stage, scale):
    """(name, build on the GPU, example inputs on the CPU, also save the unfixed trace) for one stage."""
    full = scale == "full"
    t5, clip = widths(scale)
    half = torch.float16
    if full:
        makers = {"stage1_unet": _unet(IF_I_XL), "sr_unet": _unet(IF_II_L), "x4_unet": _unet(X4_UNET),
                  "vae_decoder": _vae(X4_VAE)}
    else:
        makers = _tiny()
    makers["t5_encoder"] = _t5(full)
    makers["x4_text_encoder"] = _clip(full)
    ids = torch.ones(2, 77, dtype=torch.int64)
    table = {
        "stage1": [("stage1_unet", half, (torch.randn(2, 3, 64, 64), torch.tensor([500, 500]),
                                          torch.randn(2, 77, t5)), True)],
        "sr": [("sr_unet", half, (torch.randn(2, 6, 256, 256), torch.tensor([500, 500]), torch.randn(2, 77, t5),
                                  torch.tensor([250, 250])), False)],
        "upscale": [("x4_unet", half, (torch.randn(2, 7, 256, 256), torch.tensor([500, 500]),
                                       torch.randn(2, 77, clip), torch.tensor([20, 20])), False),
                    # float32, as the exporter keeps the x4 VAE (force_upcast)
                    ("vae_decoder", torch.float32, (torch.randn(1, 4, 256, 256),), False),
                    ("x4_text_encoder", half, (ids,), False)],
        "encode": [("t5_encoder", half, (ids[:1], ids[:1]), False)],
    }
    return [(name, _on_gpu(makers[name], dt), ex, raw) for name, dt, ex, raw in table[stage]]


def _call(component, jobs, inputs):
    return {"name": f"{component} x{jobs}", "component": component, "jobs": jobs, "inputs": inputs}


def _f(*shape):
    return {"dtype": "float32", "shape": list(shape)}


def _i(fill, *shape):
    return {"dtype": "int64", "shape": list(shape), "fill": fill}


def bench_spec(scale, steps):
    """What both sides time: calls per component and jobs (guided UNets get 2 rows per job), and the sampler."""
    t5, clip = widths(scale)
    calls = [_call("stage1_unet", j, [_f(2 * j, 3, 64, 64), _i(500, 2 * j), _f(2 * j, 77, t5)]) for j in (1, 2, 4, 8)]
    calls.append(_call("stage1_unet_raw", 1, [_f(2, 3, 64, 64), _i(500, 2), _f(2, 77, t5)]))
    calls += [_call("sr_unet", j, [_f(2 * j, 6, 256, 256), _i(500, 2 * j), _f(2 * j, 77, t5), _i(250, 2 * j)])
              for j in (1, 2, 4)]
    calls += [_call("x4_unet", j, [_f(2 * j, 7, 256, 256), _i(500, 2 * j), _f(2 * j, 77, clip), _i(20, 2 * j)])
              for j in (1, 2)]
    calls.append(_call("vae_decoder", 1, [_f(1, 4, 256, 256)]))
    calls.append(_call("x4_text_encoder", 1, [_i(1, 2, 77)]))
    calls += [_call("t5_encoder", j, [_i(1, j, 77), _i(1, j, 77)]) for j in (1, 8)]
    return {
        "stages": {
            "stage1": {"components": ["stage1_unet", "stage1_unet_raw"],
                       "sampler": {"component": "stage1_unet", "steps": steps, "size": 64, "width": t5,
                                   "guidance": 7.0, "jobs": [1, 2, 4, 8]}},
            "sr": {"components": ["sr_unet"]},
            "upscale": {"components": ["x4_unet", "vae_decoder", "x4_text_encoder"]},
            "encode": {"components": ["t5_encoder"]},
        },
        "calls": calls,
    }


def param_counts(configs):
    """Parameter counts of UNet configs on the meta device (no memory), to compare layouts with model cards."""
    from diffusers import UNet2DConditionModel

    out = {}
    for name, cfg in configs.items():
        with torch.device("meta"):
            out[name] = sum(p.numel() for p in UNet2DConditionModel(**cfg).parameters())
    return out

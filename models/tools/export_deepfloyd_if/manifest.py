"""Builds pack.json from the downloads' configs and writes SHA256SUMS."""
import hashlib
import json
import os

# Defaults of the diffusers pipelines' __call__ (pipeline_if.py, pipeline_if_superresolution.py,
# pipeline_stable_diffusion_upscale.py, diffusers 0.40.0.dev0): not part of any download.
STAGE1_DEFAULTS = {"steps": 100, "guidance_scale": 7.0}
SR_DEFAULTS = {"steps": 50, "guidance_scale": 4.0, "noise_level": 250}
X4_DEFAULTS = {"steps": 75, "guidance_scale": 9.0, "noise_level": 20}

# What the fleet's Java samplers implement (diffusion/.../schedule); other values are reported, not written
# silently, because the samplers do not read every key of these sections.
FLEET_SUPPORTS = {
    "stage1": {"beta_schedule": "squaredcos_cap_v2", "variance_type": "learned_range", "prediction_type": "epsilon",
               "thresholding": True, "dynamic_thresholding_ratio": 0.95, "sample_max_value": 1.5,
               "timestep_spacing": "leading", "num_train_timesteps": 1000},
    "sr": {"beta_schedule": "squaredcos_cap_v2", "variance_type": "learned_range", "prediction_type": "epsilon",
           "thresholding": True, "dynamic_thresholding_ratio": 0.95, "sample_max_value": 1.0,
           "timestep_spacing": "leading", "num_train_timesteps": 1000},
    "sr_noising": {"beta_schedule": "squaredcos_cap_v2"},
    "upscale": {"beta_schedule": "scaled_linear", "beta_start": 0.0001, "beta_end": 0.02,
                "prediction_type": "v_prediction", "timestep_spacing": "leading", "steps_offset": 1,
                "set_alpha_to_one": False, "num_train_timesteps": 1000},
    "upscale_noising": {"beta_schedule": "scaled_linear", "beta_start": 0.0001, "beta_end": 0.02},
}


def unsupported(section, cfg):
    """(key, download value, fleet value) for every scheduler setting the fleet's samplers do not follow."""
    return [(k, cfg.get(k), v) for k, v in FLEET_SUPPORTS[section].items() if cfg.get(k) != v]


def tensor(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": shape}


def components(files, d_t5, d_clip, latent_channels):
    f32, i64 = "float32", "int64"

    def comp(key, inputs, output):
        c = {"file": files[key], "inputs": inputs, "outputs": [output]}
        if files.get("dtype") == "float16":
            c["files"] = {"float16": files[key]}
        return c

    return {
        "t5_encoder": comp("t5_encoder", [tensor("input_ids", i64, ["B", 77]), tensor("attention_mask", i64, ["B", 77])],
                           tensor("last_hidden_state", f32, ["B", 77, d_t5])),
        "stage1_unet": comp("stage1_unet", [tensor("sample", f32, ["2B", 3, "H", "W"]), tensor("timestep", i64, ["2B"]),
                                            tensor("encoder_hidden_states", f32, ["2B", 77, d_t5])],
                            tensor("model_output", f32, ["2B", 6, "H", "W"])),
        "sr_unet": comp("sr_unet", [tensor("sample", f32, ["2B", 6, "H", "W"]), tensor("timestep", i64, ["2B"]),
                                    tensor("encoder_hidden_states", f32, ["2B", 77, d_t5]),
                                    tensor("class_labels", i64, ["2B"])],
                        tensor("model_output", f32, ["2B", 6, "H", "W"])),
        "x4_text_encoder": comp("x4_text_encoder", [tensor("input_ids", i64, ["B", 77])],
                                tensor("last_hidden_state", f32, ["B", 77, d_clip])),
        "x4_unet": comp("x4_unet", [tensor("sample", f32, ["2B", 4 + 3, "h", "w"]), tensor("timestep", i64, ["2B"]),
                                    tensor("encoder_hidden_states", f32, ["2B", 77, d_clip]),
                                    tensor("class_labels", i64, ["2B"])],
                        tensor("model_output", f32, ["2B", latent_channels, "h", "w"])),
        "vae_decoder": comp("vae_decoder", [tensor("latents", f32, ["B", latent_channels, "h", "w"])],
                            tensor("image", f32, ["B", 3, "4h", "4w"])),
    }


def ddpm_section(cfg):
    keys = ["beta_schedule", "variance_type", "prediction_type", "timestep_spacing", "steps_offset",
            "dynamic_thresholding_ratio", "sample_max_value", "thresholding", "num_train_timesteps"]
    return dict({"type": "ddpm"}, **{k: cfg[k] for k in keys})


def betas(cfg):
    out = {"beta_schedule": cfg["beta_schedule"]}
    if cfg["beta_schedule"] in ("linear", "scaled_linear"):
        out.update(beta_start=cfg["beta_start"], beta_end=cfg["beta_end"])
    return out


def build(name, description, tok, comps, c):
    """c: the configs read from the downloads (see __main__.read_configs)."""
    x4_sched = c["x4_scheduler"]
    return {
        "format": "if-fleet-pack/1",
        "name": name,
        "description": description,
        "tokenizers": {
            "t5": {"file": "tokenizer/t5/tokenizer.json", "max_length": 77, "pad_id": tok["t5_pad_id"]},
            "clip": {"file": "tokenizer/clip/tokenizer.json", "max_length": 77, "pad_id": tok["clip_pad_id"]},
        },
        "components": comps,
        "stages": {
            "encode": {"components": {"encoder": "t5_encoder"}, "tokenizer": "t5", "embedding_dim": c["d_t5"]},
            "stage1": dict({"components": {"unet": "stage1_unet"}, "width": c["stage1_size"],
                            "height": c["stage1_size"]}, **STAGE1_DEFAULTS,
                           scheduler=ddpm_section(c["stage1_scheduler"])),
            "sr": dict({"components": {"unet": "sr_unet"}, "width": c["sr_size"], "height": c["sr_size"]},
                       **SR_DEFAULTS, scheduler=ddpm_section(c["sr_scheduler"]),
                       noising_scheduler=betas(c["sr_noising"])),
            "upscale": dict({"components": {"text_encoder": "x4_text_encoder", "unet": "x4_unet",
                                            "vae_decoder": "vae_decoder"},
                             "tokenizer": "clip", "embedding_dim": c["d_clip"],
                             "width": c["sr_size"] * c["vae_upscale"], "height": c["sr_size"] * c["vae_upscale"]},
                            **X4_DEFAULTS, max_noise_level=c["max_noise_level"],
                            vae_scale_factor=c["vae_scaling_factor"], latent_channels=c["latent_channels"],
                            scheduler=dict({"type": "ddim"}, **betas(x4_sched),
                                           prediction_type=x4_sched["prediction_type"],
                                           timestep_spacing=x4_sched["timestep_spacing"],
                                           steps_offset=x4_sched["steps_offset"],
                                           set_alpha_to_one=x4_sched["set_alpha_to_one"]),
                            noising_scheduler=betas(c["x4_noising"])),
        },
    }


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def write_sums(pack):
    lines = []
    for root, _, files in os.walk(pack):
        for n in files:
            rel = os.path.relpath(os.path.join(root, n), pack)
            if rel == "SHA256SUMS":
                continue
            with open(os.path.join(root, n), "rb") as f:
                lines.append(f"{hashlib.sha256(f.read()).hexdigest()}  {rel}")
    lines.sort(key=lambda l: l.split("  ", 1)[1])
    with open(os.path.join(pack, "SHA256SUMS"), "w") as f:
        f.write("\n".join(lines) + "\n")

"""Exports DeepFloyd IF (IF-I-XL, IF-II-L, T5 encoder) and the SD x4 upscaler to an if-fleet model pack.

  python3 -m export_deepfloyd_if --if-i DIR --if-ii DIR --x4 DIR [--t5 DIR] --out PACK
          [--dtype float32|float16] [--device cpu|cuda] [--variant fp16] [--check] [--reference-out DIR]

(run with models/tools on PYTHONPATH). See models/tools/README.md for the downloads and licences.
"""
import argparse
import gc
import os
import sys

import torch

from . import cases, check, download, manifest, tokenizers_export, wrappers


def parse(argv):
    ap = argparse.ArgumentParser(prog="export_deepfloyd_if", description=__doc__.splitlines()[0])
    ap.add_argument("--if-i", required=True, help="local copy of DeepFloyd/IF-I-XL-v1.0")
    ap.add_argument("--if-ii", required=True, help="local copy of DeepFloyd/IF-II-L-v1.0")
    ap.add_argument("--x4", required=True, help="local copy of stabilityai/stable-diffusion-x4-upscaler")
    ap.add_argument("--t5", help="T5 encoder folder (default: IF-I's text_encoder/ and tokenizer/)")
    ap.add_argument("--out", required=True, help="pack folder to write")
    ap.add_argument("--dtype", choices=["float32", "float16"], default="float32")
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]: where to load, trace and check")
    ap.add_argument("--variant", help="weights variant to load, e.g. fp16 (the downloads hold fp16 files too)")
    ap.add_argument("--check", action="store_true", help="compare every exported file with its Python module")
    ap.add_argument("--reference-out", help="with --check: also store small inputs and Python outputs here")
    ap.add_argument("--name", default="deepfloyd-if")
    ap.add_argument("--keep-debug-info", action="store_true", help="keep TorchScript's source-range records")
    return ap.parse_args(argv)


def read_configs(a):
    """Everything pack.json needs, read from the downloads' config files (nothing assumed)."""
    import json

    def cfg(root, sub):
        with open(os.path.join(root, sub, "config.json")) as f:
            return json.load(f)

    t5_cfg = cfg(a.t5, "") if a.t5 else cfg(a.if_i, "text_encoder")
    vae = cfg(a.x4, "vae")
    return {
        "d_t5": t5_cfg["d_model"],
        "d_clip": cfg(a.x4, "text_encoder")["hidden_size"],
        "stage1_size": cfg(a.if_i, "unet")["sample_size"],
        "sr_size": cfg(a.if_ii, "unet")["sample_size"],
        "vae_scaling_factor": vae["scaling_factor"],
        "latent_channels": vae["latent_channels"],
        "vae_upscale": 2 ** (len(vae["block_out_channels"]) - 1),
        # StableDiffusionUpscalePipeline decodes in float32 when the VAE says force_upcast (AutoencoderKL's default)
        "vae_force_upcast": vae.get("force_upcast", True),
        # each UNet level but the last halves the size; tracing freezes the "upsample size" branch for sizes that
        # do not divide evenly, so spatial sizes must be multiples of this
        "size_multiple": {"stage1_unet": 2 ** (len(cfg(a.if_i, "unet")["block_out_channels"]) - 1),
                          "sr_unet": 2 ** (len(cfg(a.if_ii, "unet")["block_out_channels"]) - 1),
                          "x4_unet": 2 ** (len(cfg(a.x4, "unet")["block_out_channels"]) - 1)},
        # StableDiffusionUpscalePipeline registers max_noise_level (default 350) in model_index.json
        "max_noise_level": download.model_index(a.x4).get("max_noise_level", 350),
        "stage1_scheduler": download.scheduler_config(a.if_i, "scheduler", "DDPMScheduler"),
        "sr_scheduler": download.scheduler_config(a.if_ii, "scheduler", "DDPMScheduler"),
        "sr_noising": download.scheduler_config(a.if_ii, "image_noising_scheduler", "DDPMScheduler"),
        "x4_scheduler": download.scheduler_config(a.x4, "scheduler", "DDIMScheduler"),
        "x4_noising": download.scheduler_config(a.x4, "low_res_scheduler", "DDPMScheduler"),
    }


def report_unsupported(c):
    pairs = [("stage1", "stage1_scheduler"), ("sr", "sr_scheduler"), ("sr_noising", "sr_noising"),
             ("upscale", "x4_scheduler"), ("upscale_noising", "x4_noising")]
    for section, key in pairs:
        for k, got, want in manifest.unsupported(section, c[key]):
            print(f"WARNING: {section} scheduler {k}={got!r}, but the fleet's sampler uses {want!r}")


def export_tokenizers(a, out, checker):
    t5_dir = download.t5_tokenizer_dir(a.if_i, a.t5)
    result = {}
    for name, folder in [("t5", t5_dir), ("clip", os.path.join(a.x4, "tokenizer"))]:
        tok = tokenizers_export.load(folder)
        tokenizers_export.export(tok, os.path.join(out, "tokenizer", name, "tokenizer.json"))
        entries = tokenizers_export.ids(tok)
        result[name] = entries
        result[f"{name}_pad_id"] = tok.pad_token_id
        checker.tokenizer(name, entries)
        print(f"tokenizer {name}: {type(tok).__name__} from {folder}, pad id {tok.pad_token_id}")
    sp = tokenizers_export.sentencepiece_ids(t5_dir)
    if sp is not None:
        same = [e["ids"][: len(s)] == s for e, s in zip(result["t5"], sp)]
        print(f"tokenizer t5: transformers ids == spiece.model ids for {sum(same)}/{len(same)} prompts")
        if not all(same):
            checker.failures.append("t5 tokenizer differs from spiece.model")
    return result


def loaders(a, dt):
    """dt: the compute dtype per component."""
    v = a.variant
    return {
        "t5_encoder": lambda d=dt["t5_encoder"]: wrappers.T5Encoder(download.load_t5(a.if_i, a.t5, d, v), d),
        "stage1_unet": lambda d=dt["stage1_unet"]: wrappers.Unet(download.load_unet(a.if_i, d, v), d),
        "sr_unet": lambda d=dt["sr_unet"]: wrappers.UnetWithLabels(download.load_unet(a.if_ii, d, v), d),
        "x4_text_encoder": lambda d=dt["x4_text_encoder"]: wrappers.ClipEncoder(download.load_clip(a.x4, d, v), d),
        "x4_unet": lambda d=dt["x4_unet"]: wrappers.UnetWithLabels(download.load_unet(a.x4, d, v), d),
        "vae_decoder": lambda d=dt["vae_decoder"]: wrappers.VaeDecoder(download.load_vae(a.x4, d, v), d),
    }


def component_dtypes(a, c):
    dtype = torch.float16 if a.dtype == "float16" else torch.float32
    dt = {name: dtype for name in ["t5_encoder", "stage1_unet", "sr_unet", "x4_text_encoder", "x4_unet",
                                   "vae_decoder"]}
    if c["vae_force_upcast"]:
        dt["vae_decoder"] = torch.float32
    return dt


def main(argv=None):
    a = parse(argv)
    try:
        download.check_if_i(a.if_i, a.t5)
        download.check_if_ii(a.if_ii)
        download.check_x4(a.x4)
    except download.DownloadError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    c = read_configs(a)
    report_unsupported(c)
    checker = check.Checker(a.dtype, a.device, a.reference_out if a.check else None)
    tok = export_tokenizers(a, a.out, checker)
    all_cases = cases.all_cases(tok, c["d_t5"], c["d_clip"], c["stage1_size"], c["sr_size"], c["max_noise_level"],
                                c["latent_channels"], c["vae_scaling_factor"])
    files = {"dtype": a.dtype}
    dtypes = component_dtypes(a, c)
    for name, load in loaders(a, dtypes).items():
        suffix = ".fp16.pt" if dtypes[name] == torch.float16 else ".pt"
        module = load().to(a.device)
        example = tuple(x.to(a.device) for x in all_cases[name][0][0])
        path = os.path.join(a.out, name + suffix)
        fixed, problems = wrappers.export(module, example, path, a.keep_debug_info)
        files[name] = name + suffix
        print(f"exported {name} -> {path} ({os.path.getsize(path) / 2**20:.1f} MiB); "
              f"{fixed} traced shape constant(s) made host numbers")
        for p in problems:
            # each would be a device->host copy and a stream sync per call on a GPU: refuse the pack
            checker.failures.append(f"{name}: hidden device->host sync: {p}")
        if a.check:
            checker.component(name, module, path, all_cases[name], str(dtypes[name]).replace("torch.", ""))
        del module
        gc.collect()
    description = (f"DeepFloyd IF ({os.path.basename(os.path.normpath(a.if_i))}, "
                   f"{os.path.basename(os.path.normpath(a.if_ii))}) + {os.path.basename(os.path.normpath(a.x4))}, "
                   f"exported by models/tools/export_deepfloyd_if ({a.dtype}, traced)")
    comps = manifest.components(files, c["d_t5"], c["d_clip"], c["latent_channels"])
    for name, multiple in c["size_multiple"].items():
        comps[name]["size_multiple"] = multiple
    manifest.write_json(os.path.join(a.out, "pack.json"), manifest.build(a.name, description, tok, comps, c))
    failures = checker.finish()
    manifest.write_sums(a.out)
    if failures:
        print("CHECK FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"pack written to {a.out}" + (" (all checks passed)" if a.check else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

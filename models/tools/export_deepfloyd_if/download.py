"""Finds, checks and loads the components of the three local Hugging Face downloads."""
import json
import os

IF_I_REPO = "DeepFloyd/IF-I-XL-v1.0"
IF_II_REPO = "DeepFloyd/IF-II-L-v1.0"
X4_REPO = "stabilityai/stable-diffusion-x4-upscaler"

GATED = ("DeepFloyd IF is gated: accept its licence on https://huggingface.co/{repo} while logged in, "
         "then `hf download {repo} --local-dir DIR` (see models/tools/README.md)")


class DownloadError(Exception):
    """A download folder lacks something the export needs; the message says what and how to get it."""


def _weights(folder):
    names = os.listdir(folder) if os.path.isdir(folder) else []
    return [n for n in names if n.endswith((".safetensors", ".bin")) or n.endswith(".safetensors.index.json")]


def require(root, repo, parts):
    """Raises one DownloadError listing every missing part (file or 'sub/' with weights) of a download."""
    missing = []
    if not os.path.isdir(root):
        raise DownloadError(f"{root}: no such folder (expected a local copy of {repo}). " + GATED.format(repo=repo))
    for p in parts:
        path = os.path.join(root, p.rstrip("/"))
        if p.endswith("/"):
            if not os.path.isfile(os.path.join(path, "config.json")):
                missing.append(p + "config.json")
            elif not _weights(path):
                missing.append(p + "*.safetensors (weights)")
        elif not os.path.isfile(path):
            missing.append(p)
    if missing:
        raise DownloadError(f"{root} is not a complete download of {repo}; missing: {', '.join(missing)}. "
                            + (GATED.format(repo=repo) if repo.startswith("DeepFloyd")
                               else f"`hf download {repo} --local-dir DIR`"))


def check_if_i(root, t5_dir):
    require(root, IF_I_REPO, ["model_index.json", "unet/", "scheduler/scheduler_config.json"])
    if t5_dir is None:
        require(root, IF_I_REPO, ["text_encoder/"])
    else:
        require(t5_dir, "a T5 v1.1 XXL encoder", ["config.json"])
    tok = t5_tokenizer_dir(root, t5_dir)
    if tok is None:
        raise DownloadError(f"no T5 tokenizer (spiece.model or tokenizer.json) in {root}/tokenizer"
                            + (f" or {t5_dir}" if t5_dir else ""))


def check_if_ii(root):
    require(root, IF_II_REPO, ["model_index.json", "unet/", "scheduler/scheduler_config.json",
                               "image_noising_scheduler/scheduler_config.json"])


def check_x4(root):
    require(root, X4_REPO, ["model_index.json", "unet/", "vae/", "text_encoder/", "tokenizer/vocab.json",
                            "tokenizer/merges.txt", "scheduler/scheduler_config.json",
                            "low_res_scheduler/scheduler_config.json"])


def t5_tokenizer_dir(if_i_root, t5_dir):
    for d in [os.path.join(if_i_root, "tokenizer")] + ([t5_dir] if t5_dir else []):
        if os.path.isfile(os.path.join(d, "spiece.model")) or os.path.isfile(os.path.join(d, "tokenizer.json")):
            return d
    return None


def model_index(root):
    with open(os.path.join(root, "model_index.json")) as f:
        return json.load(f)


def scheduler_config(root, sub, cls_name):
    """The scheduler's full config as diffusers resolves it: the download's values plus the class defaults."""
    import diffusers

    cls = getattr(diffusers, cls_name)
    return dict(cls.from_pretrained(root, subfolder=sub).config)


def load_unet(root, dtype, variant):
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel.from_pretrained(root, subfolder="unet", torch_dtype=dtype, variant=variant).eval()


def load_vae(root, dtype, variant):
    from diffusers import AutoencoderKL

    return AutoencoderKL.from_pretrained(root, subfolder="vae", torch_dtype=dtype, variant=variant).eval()


def load_t5(if_i_root, t5_dir, dtype, variant):
    from transformers import T5EncoderModel

    if t5_dir:
        return T5EncoderModel.from_pretrained(t5_dir, dtype=dtype, attn_implementation="eager").eval()
    return T5EncoderModel.from_pretrained(if_i_root, subfolder="text_encoder", dtype=dtype, variant=variant,
                                          attn_implementation="eager").eval()


def load_clip(root, dtype, variant):
    from transformers import CLIPTextModel

    return CLIPTextModel.from_pretrained(root, subfolder="text_encoder", dtype=dtype, variant=variant,
                                         attn_implementation="eager").eval()

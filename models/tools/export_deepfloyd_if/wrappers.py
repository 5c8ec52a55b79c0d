"""TorchScript wrappers: the pack contract's positional inputs in, ONE float32 tensor out."""
import os
import zipfile

import torch
from torch import nn


class _Cast(nn.Module):
    """Holds the compute dtype: float inputs are cast to it inside the module, the output back to float32,
    so a float16 export keeps the float32 boundary that the fleet's runtime feeds and reads."""

    def __init__(self, dtype):
        super().__init__()
        self.dtype = dtype

    def f(self, x):
        return x.to(self.dtype)


class T5Encoder(_Cast):
    def __init__(self, model, dtype):
        super().__init__(dtype)
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask)[0].float()


class ClipEncoder(_Cast):
    """SD's encode_prompt uses last_hidden_state (after the final layer norm), with no attention mask."""

    def __init__(self, model, dtype):
        super().__init__(dtype)
        self.model = model

    def forward(self, input_ids):
        return self.model(input_ids=input_ids)[0].float()


class Unet(_Cast):
    """IF stage I: unet(sample, t, encoder_hidden_states) as IFPipeline calls it (raw 6-channel output)."""

    def __init__(self, model, dtype):
        super().__init__(dtype)
        self.model = model

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.model(self.f(sample), timestep, encoder_hidden_states=self.f(encoder_hidden_states),
                          return_dict=False)[0].float()


class UnetWithLabels(_Cast):
    """IF stage II and the x4 upscaler: the noise level goes in as class_labels."""

    def __init__(self, model, dtype):
        super().__init__(dtype)
        self.model = model

    def forward(self, sample, timestep, encoder_hidden_states, class_labels):
        return self.model(self.f(sample), timestep, encoder_hidden_states=self.f(encoder_hidden_states),
                          class_labels=class_labels, return_dict=False)[0].float()


class VaeDecoder(_Cast):
    """Takes latents already divided by vae.config.scaling_factor (the fleet divides by pack.json's
    vae_scale_factor, as StableDiffusionUpscalePipeline does) and returns the decoded image in about [-1, 1]."""

    def __init__(self, model, dtype):
        super().__init__(dtype)
        self.model = model

    def forward(self, latents):
        return self.model.decode(self.f(latents), return_dict=False)[0].float()


def trace(module, example):
    """Traces with fixed example shapes; shape-dependent Python branches are frozen, which the check probes."""
    with torch.no_grad():
        return torch.jit.trace(module, example, check_trace=False, strict=False)


def export(module, example, path, keep_debug_info=False):
    """Traces, removes traced shape constants (syncs.fix), saves, and inspects the saved file for what could still
    read device memory on the host. Returns (constants fixed, problems: list of lines, empty when clean)."""
    from . import syncs

    traced = trace(module, example)
    fixed = syncs.fix(traced)
    torch.jit.save(traced, path)
    if not keep_debug_info:
        strip_debug_info(path)
    return fixed, syncs.problems(syncs.inspect(torch.jit.load(path, map_location="cpu")))


def strip_debug_info(path):
    """Drops the *.debug_pkl records (source ranges for error messages) from a saved TorchScript file: a third
    of a traced diffusers UNet's bytes. libtorch loads the file without them (records stay uncompressed)."""
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if not info.filename.endswith(".debug_pkl"):
                dst.writestr(info, src.read(info.filename))
    os.replace(tmp, path)

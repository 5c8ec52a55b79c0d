"""Example inputs of the component contract: the traced shape first, then other batch sizes and sizes.

Spatial sizes are multiples of 16, which every IF / x4 UNet accepts (the deepest real one downsamples 16x).
Cases marked store=True are small enough to ship as the fixture's reference data.
"""
import torch


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def t5(tokenized_batches):
    return [((torch.tensor([e["ids"] for e in b]), torch.tensor([e["mask"] for e in b])), True)
            for b in tokenized_batches]


def clip(tokenized_batches):
    return [((torch.tensor([e["ids"] for e in b]),), True) for b in tokenized_batches]


def unet(seed, channels, width, labels_max, sizes):
    """sizes: list of (2B, H, W, store); labels_max None for stage I (no class_labels)."""
    g = _gen(seed)
    out = []
    for n, h, w, store in sizes:
        x = [torch.randn(n, channels, h, w, generator=g), torch.randint(0, 1000, (n,), generator=g),
             torch.randn(n, 77, width, generator=g)]
        if labels_max is not None:
            x.append(torch.randint(0, labels_max + 1, (n,), generator=g))
        out.append((tuple(x), store))
    return out


def vae(seed, latent_channels, scaling_factor, sizes):
    """Latents as the fleet hands them over: unit-variance latents already divided by scaling_factor."""
    g = _gen(seed)
    return [((torch.randn(n, latent_channels, h, w, generator=g) / scaling_factor,), store) for n, h, w, store in sizes]


def all_cases(tok, d_t5, d_clip, stage1_size, sr_size, max_noise_level, latent_channels, scaling_factor):
    t5_batches = [tok["t5"][:2], tok["t5"][2:]]
    clip_batches = [tok["clip"][:2], tok["clip"][2:]]
    return {
        "t5_encoder": t5(t5_batches),
        "x4_text_encoder": clip(clip_batches),
        "stage1_unet": unet(11, 3, d_t5, None, [(2, 16, 16, True), (4, 16, 32, True), (2, stage1_size, stage1_size, False),
                                                (8, 48, 64, False)]),
        "sr_unet": unet(12, 6, d_t5, 1000, [(2, 16, 16, True), (4, 16, 32, True), (2, sr_size, sr_size, False)]),
        "x4_unet": unet(13, 7, d_clip, max_noise_level, [(2, 16, 16, True), (4, 16, 32, True), (2, 64, 96, False)]),
        "vae_decoder": vae(14, latent_channels, scaling_factor, [(1, 16, 16, True), (2, 8, 16, True), (1, 64, 48, False)]),
    }

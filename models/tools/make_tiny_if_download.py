#!/usr/bin/env python3
"""Writes tiny random stand-ins of the four DeepFloyd IF downloads, in their Hugging Face layout.

The export tool (export_deepfloyd_if) is meant for local copies of DeepFloyd/IF-I-XL-v1.0,
DeepFloyd/IF-II-L-v1.0 and stabilityai/stable-diffusion-x4-upscaler. Those are tens of GB and
licence-gated, so the tool is proven on these instead: the very same classes (diffusers'
UNet2DConditionModel and AutoencoderKL, transformers' T5EncoderModel and CLIPTextModel, a
sentencepiece T5 tokenizer and a CLIP BPE tokenizer) with IF-shaped configs (same block types,
attention kinds, class/timestep embeddings, channel counts in and out) but widths of 8..32, saved
with save_pretrained / save_config exactly where the real repositories keep them.

Deviations from the real configs, all chosen to keep the fixture small and CPU-fast at the cascade's
real sizes (64 / 256 / 1024 px): fewer and narrower blocks, attention only at the lowest resolution,
and no attention in the VAE's mid block (mid_block_add_attention=False): at 256x256 latents that
attention alone would cost minutes per image on a CI CPU. Schedulers carry the real values.

Needs torch, transformers, sentencepiece and diffusers (its source tree on PYTHONPATH is enough).
Usage: make_tiny_if_download.py --out DIR   (writes DIR/IF-I-XL-v1.0, DIR/IF-II-L-v1.0,
DIR/stable-diffusion-x4-upscaler). Seeded: the same library versions give the same weights.
"""
import argparse
import json
import os

import torch

T5_DIM = 32
CLIP_DIM = 32
SP_VOCAB = 200
EXTRA_IDS = 100  # T5Tokenizer's sentinel tokens <extra_id_0..99>, as in the real tokenizer_config.json

CORPUS_WORDS = (
    "a an the of on in under over next to with and red green blue yellow purple orange black white "
    "small large big tiny circle square triangle star house tree cat dog bird car boat sun moon sky "
    "river mountain city street night day painting photo of portrait astronaut horse riding "
    "oil watercolor sketch cinematic lighting detailed high quality two three four five "
    "sitting standing running flying above below left right corner middle background foreground"
).split()


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


def corpus_lines(n=3000, seed=7):
    g = torch.Generator().manual_seed(seed)
    lines = []
    for _ in range(n):
        k = int(torch.randint(3, 12, (1,), generator=g))
        idx = torch.randint(0, len(CORPUS_WORDS), (k,), generator=g).tolist()
        words = [CORPUS_WORDS[i] for i in idx]
        if int(torch.randint(0, 4, (1,), generator=g)) == 0:
            words[0] = words[0].capitalize()
        lines.append(" ".join(words) + (", " if k % 3 == 0 else ". ") + str(k))
    return lines


def t5_tokenizer(folder):
    """A unigram sentencepiece model with T5's special ids (pad 0, eos 1, unk 2, no bos)."""
    import sentencepiece as spm

    os.makedirs(folder, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines()), model_prefix=os.path.join(folder, "spiece"),
        vocab_size=SP_VOCAB, model_type="unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        character_coverage=1.0, normalization_rule_name="nmt_nfkc", num_threads=1,
        hard_vocab_limit=False, minloglevel=2)
    os.remove(os.path.join(folder, "spiece.vocab"))
    extra = [f"<extra_id_{i}>" for i in range(EXTRA_IDS)]
    write_json(os.path.join(folder, "special_tokens_map.json"), {
        "additional_special_tokens": extra, "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"})
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "additional_special_tokens": extra, "eos_token": "</s>", "extra_ids": EXTRA_IDS, "model_max_length": 77,
        "pad_token": "<pad>", "tokenizer_class": "T5Tokenizer", "unk_token": "<unk>"})


def bytes_to_unicode():
    """GPT-2/CLIP's reversible byte -> printable character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def clip_tokenizer(folder, merges_wanted=120):
    """A CLIP BPE vocabulary (vocab.json + merges.txt) learnt greedily from the corpus, SD2's special tokens."""
    base = list(bytes_to_unicode().values())
    vocab = base + [c + "</w>" for c in base]
    words = {}
    for line in corpus_lines():
        for w in line.lower().replace(",", " ").replace(".", " ").split():
            words[w] = words.get(w, 0) + 1
    split = {w: list(w[:-1]) + [w[-1] + "</w>"] for w in words}
    merges = []
    while len(merges) < merges_wanted:
        pairs = {}
        for w, parts in split.items():
            for a, b in zip(parts, parts[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + words[w]
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda p: pairs[p])
        merges.append(best)
        vocab.append(best[0] + best[1])
        for w, parts in split.items():
            out, i = [], 0
            while i < len(parts):
                if i + 1 < len(parts) and (parts[i], parts[i + 1]) == best:
                    out.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    out.append(parts[i])
                    i += 1
            split[w] = out
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    os.makedirs(folder, exist_ok=True)
    write_json(os.path.join(folder, "vocab.json"), {t: i for i, t in enumerate(vocab)})
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    # SD 2.x (and the x4 upscaler) pad with "!" (id 0), not with <|endoftext|> as SD 1.x does
    specials = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "!",
                "unk_token": "<|endoftext|>"}
    write_json(os.path.join(folder, "special_tokens_map.json"), specials)
    write_json(os.path.join(folder, "tokenizer_config.json"),
               dict(specials, model_max_length=77, tokenizer_class="CLIPTokenizer", do_lower_case=True))
    return len(vocab)


def if_unet(seed, sample_size, in_channels, block_out_channels, n_resnet_blocks, **extra):
    """IF's UNet family: resnet down/up blocks, simple cross-attention at the lowest level, text pooling."""
    from diffusers import UNet2DConditionModel

    torch.manual_seed(seed)
    return UNet2DConditionModel(
        sample_size=sample_size, in_channels=in_channels, out_channels=6, layers_per_block=1,
        block_out_channels=block_out_channels,
        down_block_types=["ResnetDownsampleBlock2D"] * n_resnet_blocks + ["SimpleCrossAttnDownBlock2D"],
        mid_block_type="UNetMidBlock2DSimpleCrossAttn",
        up_block_types=["SimpleCrossAttnUpBlock2D"] + ["ResnetUpsampleBlock2D"] * n_resnet_blocks,
        cross_attention_dim=32, encoder_hid_dim=T5_DIM, attention_head_dim=8, addition_embed_type="text",
        addition_embed_type_num_heads=2, cross_attention_norm="group_norm", resnet_time_scale_shift="scale_shift",
        act_fn="gelu", norm_num_groups=8, **extra)


def if_i(root):
    from diffusers import DDPMScheduler
    from transformers import T5Config, T5EncoderModel

    t5_tokenizer(os.path.join(root, "tokenizer"))
    torch.manual_seed(1)
    T5EncoderModel(T5Config(
        vocab_size=SP_VOCAB + EXTRA_IDS + 20, d_model=T5_DIM, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
        relative_attention_num_buckets=32, relative_attention_max_distance=128, dropout_rate=0.0,
        feed_forward_proj="gated-gelu", tie_word_embeddings=False, pad_token_id=0, eos_token_id=1,
        decoder_start_token_id=0)).save_pretrained(os.path.join(root, "text_encoder"))
    if_unet(2, 64, 3, [8, 16, 16], 2).save_pretrained(os.path.join(root, "unet"))
    DDPMScheduler(beta_schedule="squaredcos_cap_v2", thresholding=True, dynamic_thresholding_ratio=0.95,
                  sample_max_value=1.5, prediction_type="epsilon", variance_type="learned_range",
                  clip_sample=True).save_config(os.path.join(root, "scheduler"))
    write_json(os.path.join(root, "model_index.json"), {
        "_class_name": "IFPipeline", "feature_extractor": [None, None], "requires_safety_checker": False,
        "safety_checker": [None, None], "scheduler": ["diffusers", "DDPMScheduler"],
        "text_encoder": ["transformers", "T5EncoderModel"], "tokenizer": ["transformers", "T5Tokenizer"],
        "unet": ["diffusers", "UNet2DConditionModel"], "watermarker": [None, None]})


def if_ii(root):
    from diffusers import DDPMScheduler

    t5_tokenizer(os.path.join(root, "tokenizer"))
    if_unet(3, 256, 6, [8, 8, 16, 16], 3, class_embed_type="timestep", mid_block_scale_factor=1.414,
            time_embedding_act_fn="gelu", time_embedding_dim=32).save_pretrained(os.path.join(root, "unet"))
    DDPMScheduler(beta_schedule="squaredcos_cap_v2", thresholding=True, dynamic_thresholding_ratio=0.95,
                  sample_max_value=1.0, prediction_type="epsilon", variance_type="learned_range",
                  clip_sample=True).save_config(os.path.join(root, "scheduler"))
    DDPMScheduler(beta_schedule="squaredcos_cap_v2").save_config(os.path.join(root, "image_noising_scheduler"))
    write_json(os.path.join(root, "model_index.json"), {
        "_class_name": "IFSuperResolutionPipeline", "feature_extractor": [None, None],
        "image_noising_scheduler": ["diffusers", "DDPMScheduler"], "requires_safety_checker": False,
        "safety_checker": [None, None], "scheduler": ["diffusers", "DDPMScheduler"], "text_encoder": [None, None],
        "tokenizer": ["transformers", "T5Tokenizer"], "unet": ["diffusers", "UNet2DConditionModel"],
        "watermarker": [None, None]})


def x4(root):
    from diffusers import AutoencoderKL, DDIMScheduler, DDPMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    vocab = clip_tokenizer(os.path.join(root, "tokenizer"))
    torch.manual_seed(4)
    CLIPTextModel(CLIPTextConfig(
        vocab_size=vocab, hidden_size=CLIP_DIM, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
        max_position_embeddings=77, hidden_act="gelu", projection_dim=32, bos_token_id=0, eos_token_id=2,
        pad_token_id=1)).save_pretrained(os.path.join(root, "text_encoder"))
    torch.manual_seed(5)
    UNet2DConditionModel(
        sample_size=128, in_channels=7, out_channels=4, layers_per_block=1, block_out_channels=(8, 8, 16, 16),
        down_block_types=("DownBlock2D", "DownBlock2D", "DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D", "UpBlock2D", "UpBlock2D"),
        only_cross_attention=(True, True, True, False), cross_attention_dim=CLIP_DIM, attention_head_dim=2,
        use_linear_projection=True, num_class_embeds=1000, norm_num_groups=8,
    ).save_pretrained(os.path.join(root, "unet"))
    torch.manual_seed(6)
    AutoencoderKL(
        in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 3,
        up_block_types=["UpDecoderBlock2D"] * 3, block_out_channels=[8, 8, 16], layers_per_block=1,
        latent_channels=4, norm_num_groups=8, scaling_factor=0.08333, mid_block_add_attention=False,
    ).save_pretrained(os.path.join(root, "vae"))
    DDIMScheduler(beta_schedule="scaled_linear", beta_start=0.0001, beta_end=0.02, prediction_type="v_prediction",
                  set_alpha_to_one=False, steps_offset=1, clip_sample=False).save_config(os.path.join(root, "scheduler"))
    DDPMScheduler(beta_schedule="scaled_linear", beta_start=0.0001, beta_end=0.02).save_config(
        os.path.join(root, "low_res_scheduler"))
    write_json(os.path.join(root, "model_index.json"), {
        "_class_name": "StableDiffusionUpscalePipeline", "low_res_scheduler": ["diffusers", "DDPMScheduler"],
        "max_noise_level": 350, "scheduler": ["diffusers", "DDIMScheduler"],
        "text_encoder": ["transformers", "CLIPTextModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
        "unet": ["diffusers", "UNet2DConditionModel"], "vae": ["diffusers", "AutoencoderKL"]})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder that receives the three download folders")
    a = ap.parse_args()
    if_i(os.path.join(a.out, "IF-I-XL-v1.0"))
    if_ii(os.path.join(a.out, "IF-II-L-v1.0"))
    x4(os.path.join(a.out, "stable-diffusion-x4-upscaler"))
    print("tiny downloads written under", a.out)


if __name__ == "__main__":
    main()

"""Converts the downloads' tokenizers to single tokenizer.json files that DJL 0.33's Rust tokenizers reads."""
import json
import os

MAX_LENGTH = 77  # IFPipeline tokenizes to 77; the x4 upscaler's CLIP tokenizer has model_max_length 77

PROMPTS = [
    "a red circle above a blue square",
    "An Astronaut riding a horse, oil painting; café No.5 ½ (2 moons!)",
    "",
    "  two   spaces\tand a tab ",
    " ".join(["a small purple house next to a large tree under the night sky"] * 9),
]


def load(folder):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(folder)


def for_djl(tokenizer_json):
    """Makes a tokenizer.json written by tokenizers 0.2x readable by the Rust tokenizers inside DJL 0.33,
    and leaves padding and truncation to the fleet (it pads with pack.json's pad_id itself)."""
    doc = json.loads(tokenizer_json)
    doc["version"] = "1.0"
    doc["truncation"] = None
    doc["padding"] = None
    return doc


def export(tok, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = for_djl(tok.backend_tokenizer.to_str())
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return doc


def ids(tok, prompts=PROMPTS):
    """The ids and attention masks the pipelines feed their text encoders (padding to 77, truncation on)."""
    out = []
    for p in prompts:
        enc = tok(p, padding="max_length", max_length=MAX_LENGTH, truncation=True, add_special_tokens=True)
        out.append({"text": p, "ids": list(enc["input_ids"]), "mask": list(enc["attention_mask"])})
    return out


def sentencepiece_ids(folder, prompts=PROMPTS):
    """T5's ids straight from spiece.model (pieces then </s>, truncated to keep </s>), or None without it."""
    model = os.path.join(folder, "spiece.model")
    if not os.path.isfile(model):
        return None
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=model)
    eos = sp.eos_id()
    return [(sp.encode(p)[: MAX_LENGTH - 1] + [eos]) for p in prompts]

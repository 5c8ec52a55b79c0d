#!/usr/bin/env python3
"""Check a pack's tokenizer.json files with the Rust `tokenizers` library (the
library DJL wraps): the ids must equal the recipe's pure-Python tokenization
(make_tiny_pack.t5_encode / clip_encode) for every held-out prompt and "".

    python3 models/recipes/check_tokenizers.py PACK_DIR
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train_shapes_pack as T   # noqa: E402
from tokenizers import Tokenizer  # noqa: E402


def main(pack: str) -> int:
    t5v, clipv = T.build_vocabs()
    t5 = Tokenizer.from_file(os.path.join(pack, "tokenizer/t5/tokenizer.json"))
    clip = Tokenizer.from_file(os.path.join(pack, "tokenizer/clip/tokenizer.json"))
    with open(os.path.join(pack, "heldout.txt"), encoding="utf-8") as f:
        prompts = [l.rstrip("\n") for l in f if l.strip()] + ["", "a sign that says 42!"]
    bad = 0
    for p in prompts:
        a, b = t5.encode(p).ids, T.tiny.t5_encode(p, t5v)
        c, d = clip.encode(p).ids, T.tiny.clip_encode(p, clipv)
        if a != b or c != d:
            bad += 1
            print("MISMATCH", repr(p), a, b, c, d)
    print(f"tokenizers: {len(prompts) - bad}/{len(prompts)} prompts agree "
          f"(t5 vocab {t5.get_vocab_size()}, clip vocab {clip.get_vocab_size()})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

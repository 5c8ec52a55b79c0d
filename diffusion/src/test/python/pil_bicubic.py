"""Writes ../resources/pil_bicubic.json: reference outputs of diffusers' IF img2img preprocessing.

Run with any Python that has Pillow and numpy (Debian: python3-pil python3-numpy):
    python3 pil_bicubic.py
Inputs are a procedural pattern (pattern() below, mirrored in ImageResizeTest) so only outputs are stored.
`resize` restates diffusers' deepfloyd_if resize(); the preprocessing mirrors preprocess_image /
preprocess_mask_image of the IF img2img and inpainting pipelines.
"""
import hashlib
import json
import os

import numpy as np
from PIL import Image


def pattern(w, h, channels, seed):
    """uint8 (h, w, channels): value (x*x*3 + y*7 + x*y + c*50 + seed*11) % 256."""
    y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(channels), indexing="ij")
    return ((x * x * 3 + y * 7 + x * y + c * 50 + seed * 11) % 256).astype(np.uint8)


def image(w, h, mode, seed):
    a = pattern(w, h, 1 if mode == "L" else 3, seed)
    return Image.fromarray(a[:, :, 0] if mode == "L" else a, mode)


def resize(img, img_size):
    w, h = img.size
    coef = w / h
    w, h = img_size, img_size
    if coef >= 1:
        w = int(round(img_size / 8 * coef) * 8)
    else:
        h = int(round(img_size / 8 / coef) * 8)
    return img.resize((w, h), resample=Image.BICUBIC, reducing_gap=None)


def hexbytes(img):
    """The pixels as hex (row-major, channels interleaved), or their sha256 for large images."""
    data = np.asarray(img).astype(np.uint8).tobytes()
    return data.hex() if len(data) <= 20000 else "sha256:" + hashlib.sha256(data).hexdigest()


def main():
    out = {"pillow": Image.__version__, "sizes": [], "images": [], "masks": [], "resample": []}
    for w, h, side in [(37, 23, 64), (300, 200, 64), (50, 81, 64), (25, 16, 64), (16, 25, 64), (64, 64, 64),
                       (65, 64, 64), (160, 120, 256), (1000, 999, 64), (7, 500, 64)]:
        r = resize(Image.new("L", (w, h)), side)
        out["sizes"].append({"width": w, "height": h, "side": side, "out": list(r.size)})
    for w, h, side, seed in [(37, 23, 64, 1), (300, 200, 64, 2), (50, 81, 64, 3), (25, 16, 64, 4),
                             (160, 120, 256, 5)]:
        r = resize(image(w, h, "RGB", seed), side)
        floats = np.asarray(r).astype(np.float32) / 127.5 - 1
        out["images"].append({"width": w, "height": h, "side": side, "seed": seed, "out": list(r.size),
                              "rgb": hexbytes(r), "sum": float(floats.astype(np.float64).sum())})
    for w, h, mode, seed in [(300, 200, "L", 6), (40, 30, "RGB", 7)]:
        r = resize(image(w, h, mode, seed).convert("L"), 64)
        m = np.asarray(r).astype(np.float32) / 255.0
        m = (m >= 0.5).astype(np.uint8)
        out["masks"].append({"width": w, "height": h, "mode": mode, "seed": seed, "out": list(r.size),
                             "l": hexbytes(r), "bits": "".join(str(v) for v in m.flatten())})
    # Plain resamples, one axis and both, up and down, including the vertical-first order Pillow uses
    # for images taller than 100x their width (emulated here as two one-axis resizes).
    for w, h, nw, nh, seed, two_step in [(9, 7, 20, 3, 8, False), (9, 7, 9, 15, 9, False),
                                          (9, 7, 4, 7, 10, False), (3, 400, 2, 40, 11, True)]:
        src = image(w, h, "L", seed)
        if two_step:
            r = src.resize((w, nh), Image.BICUBIC, reducing_gap=None).resize((nw, nh), Image.BICUBIC,
                                                                             reducing_gap=None)
        else:
            r = src.resize((nw, nh), Image.BICUBIC, reducing_gap=None)
        out["resample"].append({"width": w, "height": h, "new_width": nw, "new_height": nh, "seed": seed,
                                "l": hexbytes(r)})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "pil_bicubic.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()

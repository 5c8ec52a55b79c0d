"""The procedural shapes world of models/shapes/world.json: scene sampling,
captions, the held-out prompt list, a caption parser, a batched anti-aliased
renderer (torch, CPU or GPU) and a quick fidelity checker.

world.json is the only source of truth for colours, geometry and the caption
grammar; this module reads it and hard-codes only what world.json leaves to
the renderer (the digit glyph strokes, see DIGIT_STROKES).

Rendering: every scene is drawn at the canvas size (1024 x 1024) with analytic
anti-aliasing (coverage = clamp(0.5 - signed distance in pixels, 0, 1)), then
area-downscaled (average pooling) to 256 and 64. Shapes and digits are
rasterised once, at canvas scale, into coverage atlases from exact signed
distance functions; a scene places them with bilinear sampling at its
(sub-pixel) centres, so the renderer is cheap enough to run per training step
on a GPU.
"""

import json
import math
import os
import random
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
WORLD_PATH = os.path.join(os.path.dirname(HERE), "shapes", "world.json")


def load_world(path: str = WORLD_PATH) -> dict:
    with open(path, encoding="utf-8") as f:
        w = json.load(f)
    assert w["format"] == "if-fleet-shapes-world/1", w["format"]
    return w


WORLD = load_world()
CANVAS = int(WORLD["canvas"])
BACKGROUNDS: Dict[str, List[int]] = WORLD["backgrounds"]
COLORS: Dict[str, List[int]] = WORLD["colors"]
SHAPES: List[str] = WORLD["shapes"]
SIZES: Dict[str, float] = WORLD["sizes"]
POSITIONS: Dict[str, List[float]] = WORLD["positions"]
RELATIONS: Dict[str, Dict[str, List[float]]] = WORLD["relations"]
ROW3 = WORLD["row_of_three"]
SIGN_COLORS: List[str] = WORLD["sign"]["colors"]
JITTER = float(WORLD["positional_jitter"])
CAPTIONS = WORLD["captions"]
HELD = WORLD["held_out"]
BG_NAMES = list(BACKGROUNDS)
COLOR_NAMES = list(COLORS)
SIZE_NAMES = list(SIZES)
POS_NAMES = list(POSITIONS)
REL_NAMES = list(RELATIONS)

# Sign geometry (world.json "sign": box centred (0.5, 0.5), 0.7 x 0.4, corner
# radius 0.04; text cap height 0.22). Parsed from the prose once, checked here.
SIGN_BOX = (0.5, 0.5, 0.7, 0.4, 0.04)
CAP_HEIGHT = 0.22
assert "width 0.7, height 0.4, corner radius 0.04" in WORLD["sign"]["box"]
assert "cap height 0.22" in WORLD["sign"]["text"]

# Words the captions use (for the tokenizer vocabularies).
WORLD_WORDS: List[str] = []
for _s in (" ".join(CAPTIONS[k] for k in ("one", "two", "three", "sign")).replace(",", " ").split()
           + " ".join(BG_NAMES + COLOR_NAMES + SHAPES + SIZE_NAMES + POS_NAMES + REL_NAMES
                      + SIGN_COLORS).split()):
    if not _s.startswith("{") and _s not in WORLD_WORDS:
        WORLD_WORDS.append(_s)


def allowed(color: str, bg: str) -> bool:
    """world.json contrast_rule: an object's colour never equals the background's
    name (this also excludes yellow/yellow, white/white and black/black)."""
    return color != bg


# --------------------------------------------------------------------------
# Scenes and captions
# --------------------------------------------------------------------------
# A scene is a dict: kind, bg, objects [(size, color, shape, (x, y))] with
# nominal centres (no jitter), sign (color, text) or None, caption.

def _obj_caption(size: Optional[str], color: str, shape: str) -> str:
    return (f"{size} {color} {shape}" if size else f"{color} {shape}")


def make_scene(kind: str, bg: str, objects: List[Tuple[Optional[str], str, str]],
               where: Optional[str] = None, sign: Optional[Tuple[str, str]] = None) -> dict:
    objs = []
    if kind == "one":
        size, color, shape = objects[0]
        cap = CAPTIONS["one"].format(size=size, color=color, shape=shape, position=where,
                                     background=bg)
        objs.append((size, color, shape, tuple(POSITIONS[where])))
    elif kind == "two":
        (s1, c1, h1), (s2, c2, h2) = objects
        cap = (f"a {_obj_caption(s1, c1, h1)} {where} a {_obj_caption(s2, c2, h2)} "
               f"on a {bg} background")
        objs.append((s1, c1, h1, tuple(RELATIONS[where]["first"])))
        objs.append((s2, c2, h2, tuple(RELATIONS[where]["second"])))
    elif kind == "three":
        (_, c1, h1), (_, c2, h2), (_, c3, h3) = objects
        cap = CAPTIONS["three"].replace("{color}", "%s").replace("{shape}", "%s").replace(
            "{background}", "%s") % (c1, h1, c2, h2, c3, h3, bg)
        for (_, c, h), ctr in zip(objects, ROW3["centres"]):
            objs.append((ROW3["size"], c, h, tuple(ctr)))
    elif kind == "sign":
        color, text = sign
        cap = CAPTIONS["sign"].format(color=color, text=text, background=bg)
    else:
        raise ValueError(kind)
    return {"kind": kind, "bg": bg, "objects": objs, "sign": sign, "caption": cap}


def sample_scene(rng: random.Random, kind: str) -> dict:
    bg = rng.choice(BG_NAMES)
    cols = [c for c in COLOR_NAMES if allowed(c, bg)]
    if kind == "one":
        return make_scene("one", bg, [(rng.choice(SIZE_NAMES), rng.choice(cols), rng.choice(SHAPES))],
                          where=rng.choice(POS_NAMES))
    if kind == "two":
        rel = rng.choice(REL_NAMES)
        while True:
            a = (rng.choice(SIZE_NAMES), rng.choice(cols), rng.choice(SHAPES))
            b = (rng.choice(SIZE_NAMES), rng.choice(cols), rng.choice(SHAPES))
            if (a[1], a[2]) != (b[1], b[2]):
                return make_scene("two", bg, [a, b], where=rel)
    if kind == "three":
        pairs = rng.sample([(c, s) for c in cols for s in SHAPES], 3)
        return make_scene("three", bg, [(None, c, s) for c, s in pairs])
    if kind == "sign":
        scols = [c for c in SIGN_COLORS if allowed(c, bg)]
        return make_scene("sign", bg, [], sign=(rng.choice(scols), str(rng.randint(0, 999))))
    raise ValueError(kind)


HELDOUT_SEED = 20261126


def heldout_prompts() -> List[str]:
    """world.json held_out: count prompts from the grammar with seed 20261126,
    mix per kind, in the order one, two, three, sign; no duplicates."""
    rng = random.Random(HELDOUT_SEED)
    out: List[str] = []
    for kind in ("one", "two", "three", "sign"):
        n = HELD["mix"][kind]
        got = 0
        while got < n:
            cap = sample_scene(rng, kind)["caption"]
            if cap not in out:
                out.append(cap)
                got += 1
    assert len(out) == HELD["count"]
    return out


def parse_caption(cap: str) -> dict:
    """Inverse of the caption grammar (raises ValueError on anything else)."""
    words = cap.strip().split()
    if len(words) < 5 or words[-1] != "background" or words[-4] != "on" or words[-3] != "a":
        raise ValueError(cap)
    bg = words[-2]
    body = " ".join(words[:-4])
    if bg not in BACKGROUNDS:
        raise ValueError(cap)
    if " sign that says " in body:
        color = body.split()[1]
        text = body.split(" says ")[1]
        return make_scene("sign", bg, [], sign=(color, text))
    if "," in body:
        parts = body.replace(" and a ", ", a ").split(", ")
        objs = []
        for p in parts:
            _, c, s = p.split()
            objs.append((None, c, s))
        return make_scene("three", bg, objs)
    for rel in REL_NAMES:
        key = f" {rel} a "
        if key in body:
            a, b = body.split(key)
            sa, ca, ha = a.split()[1:]
            sb, cb, hb = b.split()
            return make_scene("two", bg, [(sa, ca, ha), (sb, cb, hb)], where=rel)
    for pos in POS_NAMES:
        if body.endswith(" " + pos):
            _, s, c, h = body[:-len(pos) - 1].split()
            return make_scene("one", bg, [(s, c, h)], where=pos)
    raise ValueError(cap)


class SceneSampler:
    """Training captions: the grammar minus the held-out list."""

    MIX = {"one": 0.2, "two": 0.35, "three": 0.2, "sign": 0.25}

    def __init__(self, seed: int, exclude: List[str]):
        self.rng = random.Random(seed)
        self.exclude = set(exclude)
        self.kinds = list(self.MIX)
        self.weights = [self.MIX[k] for k in self.kinds]

    def __call__(self) -> dict:
        while True:
            kind = self.rng.choices(self.kinds, self.weights)[0]
            s = sample_scene(self.rng, kind)
            if s["caption"] not in self.exclude:
                return s


# --------------------------------------------------------------------------
# Geometry: signed distance functions (pixels) and atlases
# --------------------------------------------------------------------------

def _seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    l2 = dx * dx + dy * dy
    if l2 == 0:
        return torch.sqrt((px - ax) ** 2 + (py - ay) ** 2)
    t = (((px - ax) * dx + (py - ay) * dy) / l2).clamp(0, 1)
    return torch.sqrt((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2)


def polygon_sdf(px, py, verts: List[Tuple[float, float]]):
    """Exact signed distance to a simple polygon (negative inside)."""
    d = None
    inside = torch.zeros_like(px, dtype=torch.bool)
    n = len(verts)
    for i in range(n):
        ax, ay = verts[i]
        bx, by = verts[(i + 1) % n]
        e = _seg_dist(px, py, ax, ay, bx, by)
        d = e if d is None else torch.minimum(d, e)
        if ay != by:
            cond = ((ay > py) != (by > py)) & (px < (bx - ax) * (py - ay) / (by - ay) + ax)
            inside ^= cond
    return torch.where(inside, -d, d)


def shape_vertices(shape: str, size: float) -> Optional[List[Tuple[float, float]]]:
    """Polygon vertices (centre at 0,0; y down) per world.json shape_geometry."""
    h = size / 2
    if shape == "square":
        return [(-h, -h), (h, -h), (h, h), (-h, h)]
    if shape == "triangle":
        return [(0.0, -h), (h, h), (-h, h)]
    if shape == "diamond":
        return [(0.0, -h), (h, 0.0), (0.0, h), (-h, 0.0)]
    if shape == "star":
        ro, ri = h, 0.4 * h
        pts = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            r = ro if k % 2 == 0 else ri
            pts.append((r * math.cos(a), r * math.sin(a)))
        return pts
    return None


def shape_sdf(shape: str, size: float, px, py):
    if shape == "circle":
        return torch.sqrt(px * px + py * py) - size / 2
    if shape == "ring":
        ro, ri = size / 2, 0.55 * size / 2
        r = torch.sqrt(px * px + py * py)
        return (r - (ro + ri) / 2).abs() - (ro - ri) / 2
    return polygon_sdf(px, py, shape_vertices(shape, size))


def coverage(sdf_px):
    return (0.5 - sdf_px).clamp(0.0, 1.0)


# Digit strokes, bold sans-serif with round caps, in cap-height units: x in
# [0, DIGIT_W], y in [0, 1] (y down). Each digit is a list of polylines built
# from lines, elliptical arcs and quadratic curves; the ink is every point
# within STROKE/2 of a polyline.
STROKE = 0.17
DIGIT_W = 0.62
ADVANCE = 0.80


def _arc(cx, cy, rx, ry, a0, a1, n=24):
    return [(cx + rx * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
             cy + ry * math.sin(math.radians(a0 + (a1 - a0) * i / n))) for i in range(n + 1)]


def _quad(p0, p1, p2, n=16):
    out = []
    for i in range(n + 1):
        t = i / n
        out.append(((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
                    (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1]))
    return out


def digit_strokes() -> List[List[List[Tuple[float, float]]]]:
    L, R, T, B = 0.085, 0.535, 0.085, 0.915
    mid = 0.31
    d = [None] * 10
    d[0] = [_arc(mid, 0.5, 0.225, 0.415, 0, 360, 48)]
    d[1] = [[(0.37, T), (0.37, B)], [(0.37, T), (0.13, 0.26)]]
    d[2] = [_arc(mid, 0.30, 0.225, 0.215, 180, 370) + [(L, B), (R, B)]]
    d[3] = [_arc(0.30, 0.285, 0.205, 0.20, -160, 90) + _arc(0.30, 0.70, 0.235, 0.215, -90, 160)[1:]]
    d[4] = [[(0.43, B), (0.43, T), (L, 0.66), (0.56, 0.66)]]
    d[5] = [[(0.52, T), (0.13, T), (0.11, 0.47)] + _arc(0.30, 0.655, 0.235, 0.26, -140, 150)]
    d[6] = [_arc(mid, 0.655, 0.225, 0.26, 0, 360, 40),
            _quad((0.086, 0.655), (0.09, 0.09), (0.48, 0.10))]
    d[7] = [[(L, T), (R, T), (0.22, B)]]
    d[8] = [_arc(mid, 0.285, 0.19, 0.20, 0, 360, 40), _arc(mid, 0.695, 0.225, 0.22, 0, 360, 40)]
    d[9] = [_arc(mid, 0.345, 0.225, 0.26, 0, 360, 40),
            _quad((0.536, 0.345), (0.53, 0.91), (0.14, 0.90))]
    return d


def polyline_dist(px, py, lines):
    d = None
    for pts in lines:
        for (ax, ay), (bx, by) in zip(pts[:-1], pts[1:]):
            e = _seg_dist(px, py, ax, ay, bx, by)
            d = e if d is None else torch.minimum(d, e)
    return d


ATLAS = 400          # object atlas side (pixels at canvas scale), object centre at ATLAS/2
SIZE_SHAPES = [(s, z) for z in SIZE_NAMES for s in SHAPES]   # atlas index = size * 6 + shape


class Renderer:
    """Batched renderer. scenes -> uint8-ready float images in [0, 255]."""

    def __init__(self, device="cpu", canvas: int = CANVAS):
        self.device = torch.device(device)
        self.canvas = canvas
        with torch.no_grad():
            self._build()

    def _build(self):
        dev = self.device
        c = self.canvas
        # object atlases: (12, 1, A, A); pixel j covers [j, j+1], centre at A/2
        ax = torch.arange(ATLAS, dtype=torch.float32, device=dev) + 0.5 - ATLAS / 2
        py, px = torch.meshgrid(ax, ax, indexing="ij")
        atl = []
        for shape, size in SIZE_SHAPES:
            atl.append(coverage(shape_sdf(shape, SIZES[size] * c, px, py)))
        atl.append(torch.zeros_like(px))                     # index 12: empty slot
        self.obj_atlas = torch.stack(atl).unsqueeze(1)
        # digit atlases at cap height CAP_HEIGHT * canvas: (11, 1, GH, GW)
        cap = CAP_HEIGHT * c
        self.cap_px = cap
        gh = int(math.ceil(cap)) + 8
        gw = int(math.ceil(DIGIT_W * cap)) + 8
        self.glyph_hw = (gh, gw)
        gy = (torch.arange(gh, dtype=torch.float32, device=dev) + 0.5 - 4) / cap
        gx = (torch.arange(gw, dtype=torch.float32, device=dev) + 0.5 - 4) / cap
        qy, qx = torch.meshgrid(gy, gx, indexing="ij")
        gl = []
        for strokes in digit_strokes():
            dist = (polyline_dist(qx, qy, strokes) - STROKE / 2) * cap
            gl.append(coverage(dist))
        gl.append(torch.zeros_like(qx))                      # index 10: empty
        self.digit_atlas = torch.stack(gl).unsqueeze(1)
        # sign box coverage at full canvas (fixed position)
        cx, cy, w, h, r = SIGN_BOX
        a = torch.arange(c, dtype=torch.float32, device=dev) + 0.5
        yy, xx = torch.meshgrid(a, a, indexing="ij")
        qx2 = (xx - cx * c).abs() - (w / 2 - r) * c
        qy2 = (yy - cy * c).abs() - (h / 2 - r) * c
        outside = torch.sqrt(qx2.clamp(min=0) ** 2 + qy2.clamp(min=0) ** 2)
        inside = torch.minimum(torch.maximum(qx2, qy2), torch.zeros_like(qx2))
        self.box = coverage(outside + inside - r * c).unsqueeze(0).unsqueeze(0)
        self.lin = a

    # ---- scene -> parameter tensors ----
    def params(self, scenes: List[dict], rng: Optional[random.Random]):
        """Jitter (uniform +-JITTER per centre) drawn from rng; rng None = nominal."""
        n = len(scenes)
        bg = torch.zeros(n, 3)
        oidx = torch.full((n, 3), 12, dtype=torch.long)
        ocol = torch.zeros(n, 3, 3)
        octr = torch.zeros(n, 3, 2)
        sign = torch.zeros(n)
        scol = torch.zeros(n, 3)
        tcol = torch.zeros(n, 3)
        didx = torch.full((n, 3), 10, dtype=torch.long)
        dx = torch.zeros(n, 3)
        for i, s in enumerate(scenes):
            bg[i] = torch.tensor(BACKGROUNDS[s["bg"]], dtype=torch.float32)
            for k, (size, color, shape, (x, y)) in enumerate(s["objects"]):
                if rng is not None:
                    x += rng.uniform(-JITTER, JITTER)
                    y += rng.uniform(-JITTER, JITTER)
                oidx[i, k] = SIZE_NAMES.index(size) * 6 + SHAPES.index(shape)
                ocol[i, k] = torch.tensor(COLORS[color], dtype=torch.float32)
                octr[i, k, 0] = x
                octr[i, k, 1] = y
            if s["sign"] is not None:
                color, text = s["sign"]
                sign[i] = 1.0
                scol[i] = torch.tensor(COLORS[color], dtype=torch.float32)
                tcol[i] = torch.tensor(COLORS["black" if color in ("white", "yellow") else "white"],
                                       dtype=torch.float32)
                nd = len(text)
                width = (nd - 1) * ADVANCE + DIGIT_W
                for k, ch in enumerate(text):
                    didx[i, k] = int(ch)
                    dx[i, k] = SIGN_BOX[0] - width * CAP_HEIGHT / 2 + k * ADVANCE * CAP_HEIGHT
        return [t.to(self.device) for t in (bg, oidx, ocol, octr, sign, scol, tcol, didx, dx)]

    def _place(self, atlas, idx, x0, y0, aw, ah, size: int, step: float):
        """Sample atlas[idx] (B,1,ah,aw) whose pixel (0,0) corner sits at canvas
        pixel (x0, y0), at the pixel centres of a size x size grid spanning the canvas."""
        b = idx.shape[0]
        pos = (torch.arange(size, dtype=torch.float32, device=self.device) + 0.5) * step
        gx = (pos.unsqueeze(0) - x0.unsqueeze(1)) / aw * 2 - 1           # (B, W)
        gy = (pos.unsqueeze(0) - y0.unsqueeze(1)) / ah * 2 - 1           # (B, H)
        grid = torch.stack([gx.unsqueeze(1).expand(b, size, size),
                            gy.unsqueeze(2).expand(b, size, size)], dim=-1)
        return F.grid_sample(atlas[idx], grid, mode="bilinear", padding_mode="zeros",
                             align_corners=False)

    @torch.no_grad()
    def render(self, scenes: List[dict], rng: Optional[random.Random] = None,
               outs=(64,), chunk: int = 16, pars=None,
               render_res: Optional[int] = None) -> Dict[int, torch.Tensor]:
        """Render at the canvas size, return {res: float (N,3,res,res) in [0,255]}
        area-downscaled from the canvas render (res must divide the canvas).
        render_res < canvas point-samples the canvas-scale atlases on a coarser
        grid instead (a cheaper approximation, used only for checker templates)."""
        p = pars if pars is not None else self.params(scenes, rng)
        n = p[0].shape[0]
        rr = render_res or self.canvas
        res = {r: [] for r in outs}
        for s in range(0, n, chunk):
            q = [t[s:s + chunk] for t in p]
            img = self._render_params(q, rr)
            for r in outs:
                f = rr // r
                res[r].append(img if f == 1 else F.avg_pool2d(img, f))
        return {r: torch.cat(v) for r, v in res.items()}

    def _render_params(self, q, size: Optional[int] = None):
        bg, oidx, ocol, octr, sign, scol, tcol, didx, dx = q
        c = self.canvas
        size = size or c
        step = c / size
        b = bg.shape[0]
        img = bg.view(b, 3, 1, 1).expand(b, 3, size, size).clone()
        for k in range(3):
            a = self._place(self.obj_atlas, oidx[:, k], octr[:, k, 0] * c - ATLAS / 2,
                            octr[:, k, 1] * c - ATLAS / 2, ATLAS, ATLAS, size, step)
            img = img + (ocol[:, k].view(b, 3, 1, 1) - img) * a
        if bool((sign > 0).any()):
            box = self.box if size == c else F.adaptive_avg_pool2d(self.box, size)
            a = box * sign.view(b, 1, 1, 1)
            img = img + (scol.view(b, 3, 1, 1) - img) * a
            gh, gw = self.glyph_hw
            y0 = torch.full_like(dx[:, 0], SIGN_BOX[1] * c - self.cap_px / 2 - 4)
            for k in range(3):
                a = self._place(self.digit_atlas, didx[:, k], dx[:, k] * c - 4, y0, gw, gh, size, step)
                img = img + (tcol.view(b, 3, 1, 1) - img) * a
        return img


def to_model(img255: torch.Tensor) -> torch.Tensor:
    return img255 / 127.5 - 1.0


def to_255(x: torch.Tensor) -> torch.Tensor:
    return ((x.clamp(-1, 1) + 1) * 127.5)


# --------------------------------------------------------------------------
# Quick fidelity checker (Python; an approximation of what the Java analyser
# will measure, written from the same world.json)
# --------------------------------------------------------------------------

def _nearest(rgb: torch.Tensor, names: List[str], table: Dict[str, List[int]]) -> Tuple[torch.Tensor, torch.Tensor]:
    pal = torch.tensor([table[n] for n in names], dtype=torch.float32, device=rgb.device)
    d = torch.cdist(rgb.reshape(-1, 3), pal)
    m, i = d.min(dim=1)
    return i.reshape(rgb.shape[:-1]), m.reshape(rgb.shape[:-1])


class Checker:
    """Checks generated images (N,3,R,R) in [0,255] against their captions.

    Per prompt: background colour (median of the four corner patches, nearest
    palette colour); per object: colour (majority of the palette-classified
    non-background pixels in a window around the nominal centre), shape and size
    (best IoU of the object's colour mask with the 12 shape/size templates, over
    shifts within the jitter); sign: sign colour (majority in the box outside
    the text band) and the number (best match of the text band against the
    renders of all numbers 0..999 on that sign). A prompt passes when all its
    attributes do. R = 64 by default (images of other sizes are area-resized)."""

    def __init__(self, renderer: Renderer, res: int = 64, read_numbers: bool = True):
        self.read_numbers = read_numbers
        self.r = renderer
        self.res = res
        dev = renderer.device
        f = CANVAS // res
        # shape templates at res (atlas side / f), centred
        self.tmpl = F.avg_pool2d(renderer.obj_atlas[:12], f).squeeze(1)      # (12, A/f, A/f)
        self.number_cache: Dict[Tuple[str, str], torch.Tensor] = {}

    def _numbers(self, bg: str, color: str) -> torch.Tensor:
        key = (bg, color)
        if key not in self.number_cache:
            scenes = [make_scene("sign", bg, [], sign=(color, str(v))) for v in range(1000)]
            imgs = self.r.render(scenes, None, outs=(self.res,), chunk=50,
                                 render_res=min(CANVAS, 4 * self.res))[self.res]
            self.number_cache[key] = imgs
        return self.number_cache[key]

    def check(self, imgs: torch.Tensor, captions: List[str]) -> List[dict]:
        imgs = imgs.float().to(self.r.device)
        if imgs.shape[-1] != self.res:
            imgs = F.adaptive_avg_pool2d(imgs, self.res)
        out = []
        for img, cap in zip(imgs, captions):
            out.append(self._check_one(img, parse_caption(cap)))
        return out

    def _check_one(self, img: torch.Tensor, sc: dict) -> dict:
        R = self.res
        hwc = img.permute(1, 2, 0)
        k = max(2, R // 16)
        corners = torch.cat([hwc[:k, :k].reshape(-1, 3), hwc[:k, -k:].reshape(-1, 3),
                             hwc[-k:, :k].reshape(-1, 3), hwc[-k:, -k:].reshape(-1, 3)])
        bgc = corners.median(dim=0).values
        bi, _ = _nearest(bgc.view(1, 3), BG_NAMES, BACKGROUNDS)
        res = {"caption": sc["caption"], "kind": sc["kind"],
               "background": BG_NAMES[int(bi)] == sc["bg"]}
        bg_rgb = torch.tensor(BACKGROUNDS[sc["bg"]], dtype=torch.float32, device=img.device)
        fg = (hwc - bg_rgb).norm(dim=-1) > 60
        ci, cd = _nearest(hwc, COLOR_NAMES, COLORS)
        near = fg & (cd < 80)
        objs_ok = []
        for (size, color, shape, (x, y)) in sc["objects"]:
            objs_ok.append(self._check_obj(ci, near, sc["kind"], size, color, shape, x, y))
        if objs_ok:
            res["objects"] = objs_ok
        if sc["sign"] is not None:
            res["sign"] = self._check_sign(img, hwc, sc)
        flags = [res["background"]]
        for o in objs_ok:
            flags += list(o.values())
        if "sign" in res:
            flags += list(res["sign"].values())
        res["pass"] = all(flags)
        return res

    def _check_obj(self, ci, near, kind, size, color, shape, x, y) -> dict:
        R = self.res
        T = self.tmpl.shape[-1]
        js = int(math.ceil(JITTER * R)) + 1
        half = (SIZES[size or ROW3["size"]] / 2 + JITTER) * R
        xa, xb = max(0, int(x * R - half)), min(R, int(math.ceil(x * R + half)))
        ya, yb = max(0, int(y * R - half)), min(R, int(math.ceil(y * R + half)))
        cand = ci[ya:yb, xa:xb][near[ya:yb, xa:xb]]
        if cand.numel() < 2:
            return {"color": False, "shape": False, "size": False}
        maj = int(torch.bincount(cand, minlength=len(COLOR_NAMES)).argmax())
        color_ok = COLOR_NAMES[maj] == color
        mask = ((ci == COLOR_NAMES.index(color)) & near).float()
        if kind == "three":   # neighbours of the same colour are 0.3 away
            cols = torch.arange(R, device=mask.device, dtype=torch.float32) + 0.5
            mask = mask * ((cols - x * R).abs() < 0.15 * R).float().unsqueeze(0)
        mp = F.pad(mask, (T + js, T + js, T + js, T + js))
        sx = int(round(x * R - T / 2)) + T + js
        sy = int(round(y * R - T / 2)) + T + js
        crops = torch.stack([mp[sy + dy:sy + dy + T, sx + dx:sx + dx + T]
                             for dy in range(-js, js + 1) for dx in range(-js, js + 1)])
        t = self.tmpl.unsqueeze(0)
        c = crops.unsqueeze(1)
        inter = (t * c).sum(dim=(2, 3))
        union = (t + c - t * c).sum(dim=(2, 3)).clamp(min=1e-6)
        iou = inter / union                                  # (shifts, 12)
        best = float(iou.max())
        k = int(iou.max(dim=0).values.argmax())
        s_name, z_name = SIZE_SHAPES[k]
        return {"color": color_ok, "shape": s_name == shape and best > 0.4,
                "size": (size is None) or z_name == size}

    def _check_sign(self, img, hwc, sc) -> dict:
        R = self.res
        color, text = sc["sign"]
        cx, cy, w, h, _ = SIGN_BOX
        xa, xb = int((cx - w / 2) * R) + 1, int((cx + w / 2) * R) - 1
        ya, yb = int((cy - h / 2) * R) + 1, int((cy + h / 2) * R) - 1
        ta, tb = int((cy - CAP_HEIGHT / 2) * R) - 1, int((cy + CAP_HEIGHT / 2) * R) + 1
        band = torch.cat([hwc[ya:ta, xa:xb].reshape(-1, 3), hwc[tb:yb, xa:xb].reshape(-1, 3)])
        si, _ = _nearest(band, SIGN_COLORS, COLORS)
        maj = int(torch.bincount(si.flatten(), minlength=len(SIGN_COLORS)).argmax())
        sign_ok = SIGN_COLORS[maj] == color
        if not self.read_numbers:
            return {"color": sign_ok}
        nums = self._numbers(sc["bg"], color)[:, :, ya:yb, xa:xb]
        crop = img[:, ya:yb, xa:xb]
        err = ((nums - crop.unsqueeze(0)) ** 2).mean(dim=(1, 2, 3))
        got = int(err.argmin())
        return {"color": sign_ok, "text": str(got) == text}


def summarise(results: List[dict]) -> dict:
    by = {}
    for r in results:
        by.setdefault(r["kind"], []).append(r["pass"])
    out = {k: round(sum(v) / len(v), 3) for k, v in by.items()}
    out["all"] = round(sum(r["pass"] for r in results) / max(1, len(results)), 3)
    attrs = {"background": [r["background"] for r in results]}
    for r in results:
        for o in r.get("objects", []):
            for k, v in o.items():
                attrs.setdefault("object_" + k, []).append(v)
        for k, v in r.get("sign", {}).items():
            attrs.setdefault("sign_" + k, []).append(v)
    out["attributes"] = {k: round(sum(v) / len(v), 3) for k, v in attrs.items()}
    return out

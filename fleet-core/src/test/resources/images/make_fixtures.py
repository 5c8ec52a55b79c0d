"""Writes the tiny image fixtures of fleet-core's image tests (run: python3 make_fixtures.py, Pillow 9.4).

Each fixture has known pixel values so that a test can check what the decoder made of it; the *_pil_*
files are Pillow's own bicubic resizes, the reference for our resampler.
"""
from PIL import Image


def two_halves(mode, left, right, size=(8, 6)):
    img = Image.new(mode, size, left)
    img.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return img


# WebP: lossless keeps exact values (and alpha); lossy only approximately.
two_halves("RGBA", (255, 0, 0, 255), (0, 0, 255, 0)).save("lossless.webp", lossless=True)
Image.new("RGB", (16, 16), (40, 160, 90)).save("lossy.webp", quality=80)

# PNG: straight alpha, grayscale, grayscale with alpha, 16-bit grayscale, palette.
two_halves("RGBA", (255, 0, 0, 255), (0, 0, 0, 0)).save("alpha.png")
Image.new("RGBA", (4, 4), (0, 0, 0, 128)).save("half_alpha.png")
Image.new("L", (5, 3), 100).save("gray.png")
Image.new("LA", (5, 3), (100, 255)).save("gray_alpha.png")
Image.new("I;16", (5, 3), 100 * 257).save("gray16.png")
two_halves("RGB", (10, 200, 30), (250, 250, 0)).convert("P").save("palette.png")

# JPEG: plain RGB and CMYK (Pillow writes Adobe-inverted CMYK with an APP14 marker).
Image.new("RGB", (16, 16), (200, 30, 30)).save("red.jpg", quality=95)
Image.new("CMYK", (16, 16), (255, 0, 0, 0)).save("cyan_cmyk.jpg", quality=95)

# A GIF: a real image in a format the fleet does not accept.
Image.new("RGB", (4, 4), (1, 2, 3)).save("tiny.gif")

# Masks: a white disc on black, and Pillow's bicubic resizes of a noisy gray image (resampler reference).
mask = Image.new("L", (40, 30), 0)
for y in range(30):
    for x in range(40):
        if (x - 20) ** 2 + (y - 15) ** 2 <= 100:
            mask.putpixel((x, y), 255)
mask.save("mask_disc.png")
noise = Image.new("L", (37, 23))
noise.putdata([(x * 37 + y * 101 + (x * y) % 29 * 7) % 256 for y in range(23) for x in range(37)])
noise.save("noise.png")
noise.resize((16, 10), Image.BICUBIC, reducing_gap=None).save("noise_pil_16x10.png")
noise.resize((64, 50), Image.BICUBIC, reducing_gap=None).save("noise_pil_64x50.png")
mask.resize((20, 15), Image.BICUBIC, reducing_gap=None).save("mask_disc_pil_20x15.png")

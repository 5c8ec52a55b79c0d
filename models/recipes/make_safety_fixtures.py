#!/usr/bin/env python3
"""Writes the two test safety checkers in models/fixtures/safety/ (TorchScript, deterministic).

Contract (see SafetyChecker.java): images float32 (B, 3, H, W) in [-1, 1] -> scores float32 (B,) in [0, 1].
flag_all.pt scores every image 1.0, flag_none.pt scores every image 0.0 -- whatever the pixels -- so tests can
assert exactly which images a stage replaces. A real pack ships a trained checker under the same contract.
"""
import os
import sys

import torch
from torch import nn


class ConstantChecker(nn.Module):
    def __init__(self, score: float):
        super().__init__()
        self.register_buffer("score", torch.tensor(score, dtype=torch.float32))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        # mean * 0 keeps the input in the graph (and its batch size), so the checker runs like a real one
        return images.mean(dim=(1, 2, 3)) * 0.0 + self.score


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    for name, score in (("flag_all.pt", 1.0), ("flag_none.pt", 0.0)):
        m = torch.jit.script(ConstantChecker(score))
        path = os.path.join(out, name)
        torch.jit.save(m, path)
        back = torch.jit.load(path)
        got = back(torch.zeros(3, 3, 8, 12))
        assert got.shape == (3,) and bool((got == score).all()), got
        print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "fixtures", "safety"))

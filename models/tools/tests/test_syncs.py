"""export_deepfloyd_if.syncs on CPU: traced head splits are found and fixed, real host reads are refused.

  PYTHONPATH=models/tools python3 -m unittest discover -s models/tools/tests -v
(needs torch; the diffusers case runs when diffusers is importable, e.g. its source tree on PYTHONPATH).
"""
import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from export_deepfloyd_if import syncs, wrappers  # noqa: E402


class HeadSplit(torch.nn.Module):
    """What diffusers' Attention.head_to_batch_dim does: the head size from the traced width."""

    def __init__(self, heads=4, width=16):
        super().__init__()
        self.heads = heads
        self.proj = torch.nn.Linear(width, width)

    def forward(self, x):
        q = self.proj(x)
        b, n, d = q.shape
        q = q.reshape(b, n, self.heads, d // self.heads).transpose(1, 2)
        return q.transpose(1, 2).reshape(b, n, self.heads * (d // self.heads))


class Outer(torch.nn.Module):
    """The split inside a submodule, as in a UNet (each submodule has its own traced graph)."""

    def __init__(self):
        super().__init__()
        self.a = HeadSplit()
        self.b = HeadSplit()

    def forward(self, x):
        return self.b(self.a(x))


@torch.jit.script
def _scale_by_max(x):
    return x * int(x.abs().max() + 1)


class ReadsValue(torch.nn.Module):
    """Reads a tensor's value on the host (in scripted code: the tracer itself would freeze it as a constant):
    a real device->host sync that no rewrite can remove."""

    def forward(self, x):
        return _scale_by_max(x)


class CopiesToCpu(torch.nn.Module):
    def forward(self, x):
        return x.cpu() * 2


def export(module, example):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.pt")
        fixed, problems = wrappers.export(module.eval(), example, path)
        return fixed, problems, torch.jit.load(path)


class SyncsTest(unittest.TestCase):

    def test_traced_head_split_leaves_tensor_constants_in_shape_arithmetic(self):
        traced = wrappers.trace(Outer().eval(), (torch.randn(2, 5, 16),))
        found = syncs.inspect(traced)
        # d // heads twice and heads * (...) in each of the two blocks
        self.assertEqual(6, len(found["shape_constants"]), found)

    def test_fix_turns_them_into_numbers_and_keeps_outputs(self):
        module = Outer().eval()
        fixed, problems, loaded = export(module, (torch.randn(2, 5, 16),))
        self.assertEqual(6, fixed)
        self.assertEqual([], problems)
        self.assertEqual({"host_reads": [], "shape_constants": [], "cpu_copies": []}, syncs.inspect(loaded))
        x = torch.randn(3, 7, 16)  # another batch and length: the sizes still come from the input
        with torch.no_grad():
            self.assertTrue(torch.equal(module(x), loaded(x)))

    def test_a_value_read_on_the_host_is_refused(self):
        fixed, problems, _ = export(ReadsValue(), (torch.randn(2, 3),))
        self.assertEqual(0, fixed)
        self.assertEqual(1, len(problems), problems)
        self.assertIn("host reads", problems[0])

    def test_a_copy_to_the_cpu_is_refused(self):
        _, problems, _ = export(CopiesToCpu(), (torch.randn(2, 3),))
        self.assertTrue(any("cpu copies" in p for p in problems), problems)

    @unittest.skipUnless(torch.cuda.is_available(), "needs CUDA")
    def test_no_device_to_host_copies_on_cuda_after_the_fix(self):
        with tempfile.TemporaryDirectory() as d:
            raw, clean = os.path.join(d, "raw.pt"), os.path.join(d, "clean.pt")
            module, example = Outer().eval(), (torch.randn(2, 5, 16),)
            torch.jit.save(wrappers.trace(module, example), raw)
            wrappers.export(module, example, clean)
            x = [torch.randn(2, 5, 16, device="cuda")]
            before = syncs.count_cuda_transfers(torch.jit.load(raw, map_location="cuda"), x)
            after = syncs.count_cuda_transfers(torch.jit.load(clean, map_location="cuda"), x)
        self.assertGreater(before["dtoh"], 0, before)
        self.assertEqual(0, after["dtoh"], after)


def _tiny_if_unet():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
    from make_tiny_if_download import if_unet

    return if_unet(2, 64, 3, [8, 16, 16], 2)


@unittest.skipUnless(__import__("importlib").util.find_spec("diffusers"), "needs diffusers")
class DiffusersUnetTest(unittest.TestCase):
    """The real IF UNet classes (tiny widths): attention head splits are fixed, nothing is left."""

    def test_tiny_if_unet_exports_clean(self):
        unet = wrappers.Unet(_tiny_if_unet().eval(), torch.float32)
        example = (torch.randn(2, 3, 16, 16), torch.tensor([10, 10]), torch.randn(2, 77, 32))
        fixed, problems, loaded = export(unet, example)
        self.assertGreater(fixed, 0)
        self.assertEqual([], problems)
        x = (torch.randn(4, 3, 16, 32), torch.tensor([5, 5, 7, 7]), torch.randn(4, 77, 32))
        with torch.no_grad():
            self.assertLess(float((unet(*x) - loaded(*x)).abs().max()), 1e-4)


if __name__ == "__main__":
    unittest.main()

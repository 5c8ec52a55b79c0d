"""Finds and removes hidden device->host syncs in traced TorchScript modules.

Why: `torch.jit.trace` records Python ints derived from tensor shapes (`d // heads` in diffusers' attention
head split, `b * heads`) as 0-dim tensors, and the Python int on the other side of the operator as a 0-dim
*tensor constant*. Loading the file on a GPU (`map_location`, as DJL does) moves that constant to the GPU too,
so the shape arithmetic runs there and `int(...)` before `view`/`reshape` reads the result back: one
device->host copy and a stream sync per attention block (23 per call at IF-I-XL, 20 % of its time, measured).

`fix(module)` rewrites every such operator to take the constant as a plain number (the Scalar overload, which
TorchScript keeps on the host), in each submodule's graph, before the module is saved. `inspect(module)` looks
at the inlined graph and lists what could still read device memory on the host: host reads (`aten::Int`,
`aten::item`, ...) of values that are not pure shape arithmetic, tensor constants left in shape arithmetic,
and copies to the CPU. `count_cuda_transfers` runs a module once under the profiler and counts the real ones.
"""
import torch

# operators whose result TorchScript hands to the host as a number: a sync when the input lives on a GPU
HOST_READS = {"aten::Int", "aten::Float", "aten::Bool", "aten::item", "aten::_local_scalar_dense",
              "aten::IntImplicit", "aten::FloatImplicit", "aten::ScalarImplicit", "aten::tolist", "prim::tolist"}
# arithmetic the tracer records on traced sizes; every one has a (Tensor, Scalar) overload
ARITHMETIC = {"aten::floor_divide", "aten::div", "aten::mul", "aten::add", "aten::sub", "aten::remainder",
              "aten::true_divide", "aten::rsub", "aten::pow", "aten::fmod"}


def _tensor_constant(value):
    """The number a 0-dim tensor constant holds (a prim::Constant of tensor type), else None."""
    node = value.node()
    if node.kind() != "prim::Constant" or not isinstance(value.type(), torch._C.TensorType):
        return None
    t = value.toIValue()  # wrapped numbers come back as Python numbers
    if isinstance(t, torch.Tensor):
        return t.item() if t.dim() == 0 else None
    return t if isinstance(t, (int, float, bool)) else None


def _nodes(block):
    for n in block.nodes():
        yield n
        for b in n.blocks():
            yield from _nodes(b)


class _HostValues:
    """Values that are pure host-side shape arithmetic: traced sizes and what is computed from them."""

    def __init__(self):
        self.ids = set()

    def contains(self, v):
        return v.unique() in self.ids or v.node().kind() == "prim::NumToTensor"

    def add(self, v):
        self.ids.add(v.unique())

    def update(self, node, consts_ok):
        """Marks node's outputs host-side when all its tensor inputs are host values (or constants if allowed)."""
        if node.kind() not in ARITHMETIC:
            return
        tensors = [v for v in node.inputs() if isinstance(v.type(), torch._C.TensorType)]
        if tensors and all(self.contains(v) or (consts_ok and _tensor_constant(v) is not None) for v in tensors) \
                and any(self.contains(v) for v in tensors):
            for o in node.outputs():
                self.add(o)


def _fix_graph(graph):
    """Replaces 0-dim tensor constants in host shape arithmetic by numbers; returns how many."""
    host = _HostValues()
    fixed = 0
    for node in list(_nodes(graph)):
        if node.kind() in ARITHMETIC:
            inputs = list(node.inputs())
            others = [v for v in inputs if isinstance(v.type(), torch._C.TensorType) and _tensor_constant(v) is None]
            if others and all(host.contains(v) for v in others):
                for i, v in enumerate(inputs):
                    number = _tensor_constant(v)
                    if number is not None:
                        c = graph.insertConstant(number)
                        c.node().moveBefore(node)
                        node.replaceInput(i, c)
                        fixed += 1
        host.update(node, consts_ok=False)
    if fixed:
        torch._C._jit_pass_dce(graph)
    return fixed


def fix(module):
    """Rewrites every submodule's traced forward in place; returns the number of constants turned into numbers."""
    total = 0
    for _, m in module.named_modules():
        c = getattr(m, "_c", None)
        if c is None or not c._has_method("forward"):
            continue
        total += _fix_graph(c._get_method("forward").graph)
    return total


def inspect(module):
    """Findings on the inlined graph, as {"host_reads": [...], "shape_constants": [...], "cpu_copies": [...]}.

    host_reads: host reads of values that are not host shape arithmetic (a device->host copy on a GPU);
    shape_constants: tensor constants still in shape arithmetic (they move to the GPU with map_location);
    cpu_copies: explicit copies of tensors to the CPU.
    """
    graph = module.inlined_graph
    host = _HostValues()
    found = {"host_reads": [], "shape_constants": [], "cpu_copies": []}
    for node in _nodes(graph):
        kind = node.kind()
        inputs = list(node.inputs())
        if kind in ARITHMETIC:
            others = [v for v in inputs if isinstance(v.type(), torch._C.TensorType) and _tensor_constant(v) is None]
            if others and all(host.contains(v) for v in others) and any(_tensor_constant(v) is not None for v in inputs):
                found["shape_constants"].append(_describe(node))
        host.update(node, consts_ok=True)
        if kind in HOST_READS and inputs and isinstance(inputs[0].type(), torch._C.TensorType) \
                and not host.contains(inputs[0]) and _tensor_constant(inputs[0]) is None:
            found["host_reads"].append(_describe(node))
        if kind == "aten::cpu" or (kind in ("aten::to", "aten::_to_copy") and any(_is_cpu_device(v) for v in inputs)):
            found["cpu_copies"].append(_describe(node))
    return found


def _is_cpu_device(v):
    if v.node().kind() != "prim::Constant":
        return False
    try:
        ivalue = v.toIValue()
    except RuntimeError:
        return False
    return isinstance(ivalue, torch.device) and ivalue.type == "cpu"


def _describe(node):
    text = str(node).strip().split("#")[0].strip()
    return text if len(text) < 160 else text[:157] + "..."


def problems(found):
    """One line per kind of finding, empty when the module is clean."""
    return [f"{len(v)} {k.replace('_', ' ')} (first: {v[0]})" for k, v in found.items() if v]


def count_cuda_transfers(module, inputs):
    """Runs module(*inputs) once (after one warm-up call) under the profiler on CUDA; returns
    {"dtoh": device->host copies, "htod": host->device copies, "syncs": stream/device/event synchronizations}."""
    from torch.profiler import ProfilerActivity, profile

    with torch.no_grad():
        module(*inputs)
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            module(*inputs)
            torch.cuda.synchronize()
    # two device synchronizations are the harness's (the one above, the profiler's own on exit), not the module's
    counts = {"dtoh": 0, "htod": 0, "syncs": -2}
    for e in prof.key_averages():
        name = e.key
        if name.startswith("Memcpy DtoH"):
            counts["dtoh"] += e.count
        elif name.startswith("Memcpy HtoD"):
            counts["htod"] += e.count
        elif name in ("cudaStreamSynchronize", "cudaDeviceSynchronize", "cudaEventSynchronize"):
            counts["syncs"] += e.count
    counts["syncs"] = max(counts["syncs"], 0)
    return counts

"""Trust, second round: 0-d gradients that are arrays, in-place ops on themselves, numpy 2's
copy protocol, version checks that look only at what a formula reads, pickling and
deepcopy, and raw non-real arrays refused at the door. The PyTorch numbers below were
printed by PyTorch 2.13 (float64 unless said) running the same code."""

import copy
import math
import pickle

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from autograd import Function, Tensor, no_grad


def leaf(values, dtype=np.float64) -> Tensor:
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


def assert_grad_is_array(t: Tensor) -> None:
    assert type(t.grad.data) is np.ndarray
    assert t.grad.shape == t.shape and t.grad.dtype == t.dtype
    assert type(np.asarray(t.grad)) is np.ndarray


# ---------------------------------------------------------------- 1. 0-d gradients
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_zero_d_parameter_used_twice_gets_an_array(dtype):
    c = Tensor(np.array(2.0, dtype=dtype), requires_grad=True)
    (c * c).backward()
    assert_grad_is_array(c)
    assert c.grad.item() == 4.0
    optim.SGD([c], lr=0.25).step()
    assert type(c.data) is np.ndarray and c.item() == 1.0


def test_zero_d_gradient_of_a_non_leaf_used_twice_is_an_array():
    c = Tensor(3.0, requires_grad=True)
    h = c * 1
    h.retain_grad()
    (h * h + h).backward()
    assert type(h.grad.data) is np.ndarray and h.grad.item() == 7.0
    assert_grad_is_array(c)


def _polynomial_fit(how: str, dtype) -> tuple:
    # the "PyTorch: learning with examples" tutorial, with a fixed start instead of randn
    x = Tensor(np.linspace(-math.pi, math.pi, 2000, dtype=dtype))
    y = np.sin(x)
    a, b, c, d = (Tensor(np.array(v, dtype=dtype), requires_grad=True)
                  for v in (0.1, -0.2, 0.3, -0.05))
    learning_rate = 1e-6
    optimizer = optim.SGD([a, b, c, d], lr=learning_rate)
    for _ in range(2000):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        if how == "optim":
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        else:
            loss.backward()
            with no_grad():
                a -= learning_rate * a.grad
                b -= learning_rate * b.grad
                c -= learning_rate * c.grad
                d -= learning_rate * d.grad
                a.grad = None
                b.grad = None
                c.grad = None
                d.grad = None
    return loss.item(), [p.item() for p in (a, b, c, d)]


@pytest.mark.parametrize("how", ["manual", "optim"])
@pytest.mark.slow
def test_pytorch_tutorial_polynomial_fit_gives_pytorchs_numbers(how):
    loss, params = _polynomial_fit(how, np.float64)
    assert loss == pytest.approx(9.112536462691313, abs=1e-6)
    expected = [0.0014754686424989277, 0.8400892629645188, -0.0002545428927352565,
                -0.09096184677329115]
    np.testing.assert_allclose(params, expected, rtol=0, atol=1e-6)


@pytest.mark.slow
def test_pytorch_tutorial_polynomial_fit_in_float32():
    loss, params = _polynomial_fit("manual", np.float32)
    assert loss == pytest.approx(9.112536430358887, rel=1e-5)
    np.testing.assert_allclose(params, [0.0014754689764231443, 0.8400892615318298,
                                        -0.0002545418101362884, -0.09096184372901917],
                               rtol=0, atol=1e-6)


def test_micrograd_more_ops_with_in_place_adds_gives_pytorchs_numbers():
    # micrograd's test_more_ops as written (its `+=` on non-leaves included)
    a = Tensor(-4.0, requires_grad=True, dtype=np.float64)
    b = Tensor(2.0, requires_grad=True, dtype=np.float64)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert abs(g.item() - 24.70408163265306) < 1e-6
    assert abs(a.grad.item() - 138.83381924198252) < 1e-6
    assert abs(b.grad.item() - 645.5772594752186) < 1e-6
    assert_grad_is_array(a)
    assert_grad_is_array(b)


# ---------------------------------------------------------------- 2. in place on itself
IN_PLACE = {
    "+=": (lambda b: b.__iadd__(b), lambda b: b + b),
    "-=": (lambda b: b.__isub__(b), lambda b: b - b),
    "*=": (lambda b: b.__imul__(b), lambda b: b * b),
    "/=": (lambda b: b.__itruediv__(b), lambda b: b / b),
    "**=": (lambda b: b.__ipow__(b), lambda b: b ** b),
    "@=": (lambda b: b.__imatmul__(b), lambda b: b @ b),
    "add_": (lambda b: b.add_(b), lambda b: b + b),
    "add_ alpha": (lambda b: b.add_(b, alpha=3), lambda b: b + 3 * b),
    "sub_": (lambda b: b.sub_(b, alpha=0.5), lambda b: b - 0.5 * b),
    "mul_": (lambda b: b.mul_(b), lambda b: b * b),
    "div_": (lambda b: b.div_(b), lambda b: b / b),
    "copy_": (lambda b: b.copy_(b), lambda b: b * 1),
}


@pytest.mark.parametrize("name", list(IN_PLACE))
def test_in_place_op_on_itself_gives_the_out_of_place_gradient(name):
    in_place, out_of_place = IN_PLACE[name]
    values = [[1.5, 2.0], [0.5, 3.0]]
    a = leaf(values)
    b = a * 1
    in_place(b)
    (b * leaf([[1.0, -2.0], [3.0, 0.5]]).detach()).sum().backward()
    expected = leaf(values)
    (out_of_place(expected * 1) * Tensor(np.array([[1.0, -2.0], [3.0, 0.5]]))).sum().backward()
    np.testing.assert_allclose(b.detach().numpy(), out_of_place(Tensor(np.array(values))).data)
    np.testing.assert_allclose(a.grad.data, expected.grad.data, rtol=1e-12)


def test_in_place_on_itself_issue_repro():
    a = leaf([1.0, 2.0])
    b = a * 1
    b += b
    b.sum().backward()
    np.testing.assert_array_equal(a.grad.data, [2.0, 2.0])


# ---------------------------------------------------------------- 3. numpy 2's copy=
def test_np_array_of_a_tensor_is_a_copy():
    t = Tensor(np.array([1.0, 2.0]))
    for copied in (np.array(t), np.array(t, copy=True), np.asarray(t, copy=True)):
        assert not np.shares_memory(copied, t.data)
        copied[0] = 99.0
        assert t.data[0] == 1.0 and t.version == 0


def test_np_asarray_of_a_tensor_shares_its_buffer():
    t = Tensor(np.array([1.0, 2.0]))
    assert np.asarray(t) is t.data
    assert np.asarray(t, copy=False) is t.data
    assert np.asarray(t, dtype=np.float64, copy=False) is t.data


def test_np_asarray_with_another_dtype_and_copy_false_raises_as_numpy_does():
    t = Tensor(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="without a copy"):
        np.asarray(t, dtype=np.float32, copy=False)
    with pytest.raises(ValueError):  # numpy's own answer, for comparison
        np.asarray(np.array([1.0, 2.0]), dtype=np.float32, copy=False)
    converted = np.asarray(t, dtype=np.float32)
    assert converted.dtype == np.float32 and not np.shares_memory(converted, t.data)


def test_saved_running_mean_does_not_change_while_training():
    bn = nn.BatchNorm1d(3)
    old = np.array(bn.running_mean)
    bn(Tensor(np.random.default_rng(0).normal(5.0, 1.0, size=(8, 3)).astype(np.float32)))
    assert np.all(old == 0) and np.all(bn.running_mean.data != 0)


# ---------------------------------------------------------------- 4. version checks
def test_in_place_change_of_an_input_no_formula_reads_is_allowed():
    x = leaf([1.0, 2.0])
    d = x * 1
    y = d * Tensor(np.array([3.0, 4.0]))  # d's gradient reads only the constant
    s = d + 1                               # Add reads nothing
    d += 10
    (y.sum() + s.sum() + d.sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [3.0 + 1 + 1, 4.0 + 1 + 1])


def test_in_place_change_of_an_input_a_formula_reads_is_refused():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    d = x * 1
    y = d * w  # w's gradient reads d
    d += 10
    with pytest.raises(RuntimeError, match=r"Mul: its input 0 .* changed in place"):
        y.sum().backward()
    assert x.grad is None and w.grad is None  # checked before any work


def test_in_place_change_of_a_saved_output_is_refused():
    x = leaf([1.0, 2.0])
    y = x.exp()  # Exp saves its output
    z = y * 1
    with no_grad():
        y += 1
    with pytest.raises(RuntimeError, match="Exp"):
        z.sum().backward()


def test_in_place_change_of_a_saved_input_array_is_refused():
    class Square(Function):
        """∂a²/∂a = 2a"""
        reads = ((),)  # it saves a instead of reading ctx.inputs

        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a

        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.saved_tensors
            return 2 * a * grad

    x = leaf([1.0, 2.0])
    h = x * 1
    y = Square.apply(h)
    with no_grad():
        h += 1
    with pytest.raises(RuntimeError, match=r"Square: its input 0 .* changed in place"):
        y.sum().backward()


def _declaring_ops() -> list:
    found, stack = [], [Function]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__dict__.get("reads") is not None and cls.__module__.startswith("autograd"):
            found.append(cls)
    return sorted(found, key=lambda c: c.__name__)


def _call(cls: type, tensors: list) -> Tensor:
    # the op's own arguments after its tensors (axes, shapes, indices)
    extra = {"Sum": (None, False), "Mean": (1, True), "Reshape": ((3, 2),),
             "Transpose": ((1, 0),), "ExpandDims": (0,), "Squeeze": (None,),
             "BroadcastTo": ((4, 2, 3),), "GetItem": ((slice(None), [0, 2, 0]),)}
    return cls.apply(*tensors, *extra.get(cls.__name__, ()))


@pytest.mark.parametrize("cls", _declaring_ops(), ids=lambda c: c.__name__)
def test_reads_declares_every_input_a_formula_reads(cls):
    """Mechanical proof of `reads`: with the inputs a gradient does not read overwritten by
    nan (behind the version counter's back), backward gives the same gradients."""
    assert len(_declaring_ops()) >= 15
    rng = np.random.default_rng(0)
    n = len(cls.reads)
    if cls.__name__ == "Squeeze":
        shapes = [(2, 1, 3)]
    elif cls.__name__ == "MatMul":
        shapes = [(2, 3), (3, 4)]
    else:
        shapes = [(2, 3)] * n
    for wanted in range(n):
        tensors = [Tensor(rng.uniform(0.5, 2.0, size=s), requires_grad=(i == wanted))
                   for i, s in enumerate(shapes)]
        out = _call(cls, tensors)
        seed = Tensor(rng.normal(size=out.shape))
        (before,) = ag.grad(out, [tensors[wanted]], seed, retain_graph=True)
        for i, t in enumerate(tensors):
            if i not in cls.reads[wanted]:
                t.data[...] = np.nan
        (after,) = ag.grad(out, [tensors[wanted]], seed)
        np.testing.assert_array_equal(after.data, before.data)


# ---------------------------------------------------------------- 9. copies
def test_pickle_of_a_non_leaf_holds_its_values_as_a_leaf():
    a = leaf([1.0, 2.0])
    b = pickle.loads(pickle.dumps(a * 2))
    assert b.is_leaf and b.requires_grad and b.grad_fn is None
    np.testing.assert_array_equal(b.data, [2.0, 4.0])
    (b * b).sum().backward()
    np.testing.assert_array_equal(b.grad.data, [4.0, 8.0])
    assert a.grad is None


def test_pickle_of_a_leaf_and_of_a_view():
    a = leaf([1.0, 2.0, 3.0])
    a.grad = Tensor(np.array([0.5, 0.5, 0.5]))
    b = pickle.loads(pickle.dumps(a))
    assert b.requires_grad and b.grad_fn is None
    np.testing.assert_array_equal(b.grad.data, [0.5, 0.5, 0.5])
    base = Tensor(np.arange(6.0))
    view = pickle.loads(pickle.dumps(base.detach()[1:3]))
    np.testing.assert_array_equal(view.data, [1.0, 2.0])
    view += 1  # its own buffer now: nothing shared, nothing refused
    assert base.data[1] == 1.0 and view.version == 1


def test_deepcopy_of_a_non_leaf_is_refused_as_in_pytorch():
    a = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="only leaf tensors support deepcopy"):
        copy.deepcopy(a * a)


def test_deepcopy_of_a_leaf_copies_values_requires_grad_and_grad():
    a = leaf([1.0, 2.0])
    (a * a).sum().backward()
    b = copy.deepcopy(a)
    assert b.requires_grad and b.is_leaf
    assert not np.shares_memory(b.data, a.data)
    np.testing.assert_array_equal(b.grad.data, [2.0, 4.0])
    b.data[0] = 5.0
    assert a.data[0] == 1.0


def test_deepcopy_of_a_model_trains_independently():
    model = nn.MLP([4, 3, 2], rng=np.random.default_rng(0), dtype=np.float64)
    twin = copy.deepcopy(model)
    x = Tensor(np.random.default_rng(1).normal(size=(5, 4)))
    opt = optim.SGD(twin.parameters(), lr=0.1)
    nn.SoftmaxCrossEntropy()(twin(x), np.array([0, 1, 0, 1, 1])).backward()
    opt.step()
    assert all(p.grad is None for p in model.parameters())
    assert any(not np.array_equal(p.data, q.data)
               for p, q in zip(model.parameters(), twin.parameters()))


# ---------------------------------------------------------------- 10. the door
OPS = {"exp": ag.exp, "cumsum": ag.cumsum, "sum": ag.sum, "mean": ag.mean,
       "clip": lambda v: ag.clip(v, 0, 1)}
NOT_REAL = {"complex": np.array([1j, 2.0]), "str": np.array(["a", "b"]),
            "object": np.array([1.0, None], dtype=object),
            "complex scalar": np.complex128(1j)}


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("kind", list(NOT_REAL))
def test_raw_arrays_that_are_not_real_numbers_are_refused(op, kind):
    with pytest.raises(TypeError, match=r"got .*; a tensor holds real numbers"):
        OPS[op](NOT_REAL[kind])

"""Every op of the suite's op tables with each input used twice: the loss is
Σ v·f(x₁, …, x_k) + Σ v′·f(x₁, …, x_k), two calls of f on the same leaves, so each leaf is an
operand of two nodes and its `.grad` is the sum of two contributions accumulated by the
engine (the case where a 0-d leaf's gradient came out a numpy scalar: trust issue 2, item 1).

After `loss.backward()` every leaf's `.grad` holds an ndarray (`type(...) is np.ndarray`) of
the leaf's shape and dtype, equal to central finite differences of the loss in float64;
`np.asarray(leaf.grad)` gives that array; and `optim.SGD(leaves, lr=0.1).step()` moves each
leaf by −0.1·grad.

The tables are the suite's own, with their domains: the elementwise ops of
test_elementwise.py and test_ops.py and numpy's elementwise ufuncs of test_interop.py on
random shapes (0-d and size-1 axes included) in float64 and float32; the other dispatched
numpy functions (test_interop.py) and the products (test_products.py) on their tables' inputs.
The finite differences are taken here rather than by gradcheck because what is checked is
the `.grad` that backward leaves on the leaves, not the result of autograd.grad.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import optim
from autograd import Tensor, no_grad
from autograd.testing import arrays, broadcastable_shapes, shapes
from tests.autograd.ops.test_elementwise import BINARY, UNARY
from tests.autograd.ops.test_ops import KINKED_UNARY, SMOOTH_UNARY
from tests.autograd.ops.test_products import CASES as PRODUCT_CASES
from tests.autograd.test_interop import FUNCTION_CASES, UFUNC_CASES

# finite differences cost two evaluations of the loss per input entry: small shapes
SMALL = dict(max_dims=2, max_side=3)
DTYPES = [np.float64, np.float32]
LR = 0.1

# name -> (function, element strategy of each input), from the tables' own entries
RANDOM_SHAPE_OPS = {
    **{f"elementwise.{n}": (fn, (el,)) for n, (fn, _, el, _) in UNARY.items()},
    **{f"elementwise.{n}": (fn, (a, b)) for n, (fn, _, a, b, _) in BINARY.items()},
    **{f"ops.{n}": (fn, (el,)) for n, (fn, el) in {**SMOOTH_UNARY, **KINKED_UNARY}.items()},
}
# numpy's elementwise ufuncs (no core signature, unlike matmul): their table gives fixed
# arrays inside each ufunc's domain, resized here to a drawn shape
ELEMENTWISE_UFUNCS = {u: case for u, case in UFUNC_CASES.items() if u.signature is None}
# the ops whose inputs' shapes are part of the case: each table's own inputs
FIXED_INPUT_OPS = {
    **{f"numpy.{u.__name__}": case for u, case in UFUNC_CASES.items()
       if u.signature is not None},
    **{f"{f.__module__}.{f.__name__}": case for f, case in FUNCTION_CASES.items()},
    **{f"products.{n}": (fn, list(inputs)) for n, (fn, _, inputs) in PRODUCT_CASES.items()},
}


def _outputs(result):
    return tuple(result) if isinstance(result, (tuple, list)) else (result,)


def used_twice(fn, xs) -> Tensor:
    """Σ v·fn(xs) + Σ v′·fn(xs) over every output, with the same weights at each call."""
    rng = np.random.default_rng(0)
    total = None
    for _ in range(2):
        for out in _outputs(fn(*xs)):
            term = (out * Tensor(rng.standard_normal(out.shape).astype(out.dtype))).sum()
            total = term if total is None else total + term
    return total


def finite_differences(fn, values, eps: float = 1e-6) -> list:
    """Central differences of `used_twice` in float64, one input entry at a time."""
    base = [np.array(v, dtype=np.float64) for v in values]
    grads = []
    with no_grad():
        for i, x in enumerate(base):
            grad = np.zeros(x.shape)
            for k in range(x.size):
                ends = []
                for sign in (1.0, -1.0):
                    shifted = x.copy()
                    shifted.reshape(-1)[k] += sign * eps
                    xs = [Tensor(shifted if j == i else b) for j, b in enumerate(base)]
                    ends.append(float(np.asarray(used_twice(fn, xs).data)))
                grad.reshape(-1)[k] = (ends[0] - ends[1]) / (2 * eps)
            grads.append(grad)
    return grads


def check_used_twice(fn, leaves, rtol: float, atol: float) -> None:
    described = ", ".join(f"{x.dtype}{x.shape}" for x in leaves)
    numeric = finite_differences(fn, [x.data for x in leaves])
    loss = used_twice(fn, leaves)
    if not loss.requires_grad:  # a constant of its inputs (zeros_like): nothing flows back
        for n in numeric:
            np.testing.assert_array_equal(n, 0.0, err_msg=f"inputs {described}")
        return
    loss.backward()
    for i, (x, n) in enumerate(zip(leaves, numeric)):
        where = f"input {i} of ({described})"
        assert isinstance(x.grad, Tensor), f"{where}: .grad is {type(x.grad).__name__}"
        g = x.grad.data
        assert type(g) is np.ndarray, f"{where}: .grad holds a {type(g).__name__}"
        assert (g.shape, g.dtype) == (x.shape, x.dtype), f"{where}: .grad is {g.dtype}{g.shape}"
        as_array = np.asarray(x.grad)
        assert type(as_array) is np.ndarray and as_array.shape == x.shape, where
        np.testing.assert_array_equal(as_array, g, err_msg=where)
        np.testing.assert_allclose(g, n, rtol=rtol, atol=atol, err_msg=where)
    before = [(x.data.copy(), x.grad.data.copy()) for x in leaves]
    optim.SGD(leaves, lr=LR).step()
    for i, (x, (value, grad)) in enumerate(zip(leaves, before)):
        where = f"input {i} of ({described}) after an SGD step"
        assert type(x.data) is np.ndarray, f"{where}: holds a {type(x.data).__name__}"
        assert (x.shape, x.dtype) == (value.shape, value.dtype), where
        np.testing.assert_allclose(x.data, value - LR * grad, rtol=1e-6, atol=1e-12,
                                   err_msg=where)


def tolerances(dtype) -> dict:
    # float32's gradient against float64 finite differences: float32's rounding, not eps's
    return dict(rtol=1e-5, atol=1e-6) if dtype == np.float64 else dict(rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("name", sorted(RANDOM_SHAPE_OPS))
@given(data=st.data())
def test_elementwise_op_with_each_input_used_twice(name, data):
    fn, elements = RANDOM_SHAPE_OPS[name]
    input_shapes = data.draw(broadcastable_shapes(num_shapes=len(elements), **SMALL))
    dtype = data.draw(st.sampled_from(DTYPES))
    # drawn in float64 and then rounded: the tables' strategies are float64's
    leaves = [Tensor(data.draw(arrays(shape, elements=el)).astype(dtype), requires_grad=True)
              for shape, el in zip(input_shapes, elements)]
    check_used_twice(fn, leaves, **tolerances(dtype))


@pytest.mark.parametrize("ufunc", list(ELEMENTWISE_UFUNCS), ids=lambda u: u.__name__)
@given(shape=shapes(**SMALL), dtype=st.sampled_from(DTYPES))
def test_ufunc_with_each_input_used_twice(ufunc, shape, dtype):
    call, values = ELEMENTWISE_UFUNCS[ufunc]
    # np.resize repeats each array's entries in order, so the inputs stay paired as in the
    # table (maximum's and mod's operands never tie)
    leaves = [Tensor(np.resize(v, shape).astype(dtype), requires_grad=True) for v in values]
    check_used_twice(call, leaves, **tolerances(dtype))


@pytest.mark.parametrize("name", sorted(FIXED_INPUT_OPS))
def test_op_on_its_tables_inputs_with_each_input_used_twice(name):
    call, values = FIXED_INPUT_OPS[name]
    leaves = [Tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in values]
    check_used_twice(call, leaves, **tolerances(np.float64))

"""HIPS autograd's systematic numpy tests (tests/test_systematic.py there), written again for
chainrule: every case calls the numpy function itself on Tensors, over every combination of
the listed inputs and keywords, and checks the value against numpy on the arrays, the
gradient against finite differences and the second derivative likewise.

What is left out, and why: the complex-number cases (a Tensor holds real numbers), np.msort
(gone from numpy 2), np.row_stack (deprecated in numpy 2: np.vstack is tested instead).
"""

import itertools
import operator

import numpy as np
import pytest

from autograd import Tensor, gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def R(*shape):
    return rng.standard_normal(shape)


def combo_check(fun, argnums, *args, second_order=True, **kwargs):
    """fun on every combination of `args` (one list of choices per position) and `kwargs`
    (one list of values per keyword); the positions in `argnums` are differentiated."""
    keyword_choices = [[(key, value) for value in values] for key, values in kwargs.items()]
    count = 0
    for combination in itertools.product(*args, *keyword_choices):
        positional = list(combination[:len(args)])
        keywords = dict(combination[len(args):])
        check(fun, positional, keywords, argnums, second_order)
        count += 1
    return count


def check(fun, args, kwargs, argnums, second_order):
    tensors = [Tensor(np.asarray(args[i], dtype=np.float64), requires_grad=True)
               for i in argnums]

    def on(*wrt):
        full = list(args)
        for i, t in zip(argnums, wrt):
            full[i] = t
        out = fun(*full, **kwargs)
        return tuple(out) if isinstance(out, (list, tuple)) else out

    want = fun(*args, **kwargs)
    got = on(*tensors)
    for g, w in zip(_flat(got), _flat(want)):
        assert isinstance(g, Tensor), (fun, type(g))
        np.testing.assert_allclose(g.data, w, rtol=1e-10, atol=1e-12,
                                   err_msg=f"{fun} {args} {kwargs}")
    if not any(g.requires_grad for g in _flat(got)):
        return
    context = f"{getattr(fun, '__name__', fun)} with {kwargs}"
    assert gradcheck(on, tensors), context
    if second_order:
        assert gradgradcheck(on, tensors), context


def _flat(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


# ------------------------------------------------------------------ statistics
def stat_check(fun, second_order=True):
    x, a, b, c, d = 3.5, R(), R(3), R(2, 3), R(1, 3)
    total = combo_check(fun, (0,), [x, a], second_order=second_order)
    total += combo_check(fun, (0,), [b, c, d], axis=[None, 0], keepdims=[True, False],
                         second_order=second_order)
    total += combo_check(fun, (0,), [c, d], axis=[None, 0, 1], keepdims=[True, False],
                         second_order=second_order)
    return total


@pytest.mark.parametrize("fun", [np.max, np.mean, np.min, np.sum, np.prod, np.var, np.std],
                         ids=lambda f: f.__name__)
def test_statistics(fun):
    assert stat_check(fun) == 26


@pytest.mark.parametrize("fun", [np.all, np.any], ids=lambda f: f.__name__)
def test_statistics_without_a_gradient(fun):
    for x in (3.5, R(), R(3), R(2, 3)):
        for axis in ((None,) if np.ndim(x) == 0 else (None, 0)):
            got = fun(Tensor(np.asarray(x), requires_grad=True) > 0, axis=axis)
            np.testing.assert_array_equal(np.asarray(got.data if isinstance(got, Tensor)
                                                     else got), fun(np.asarray(x) > 0, axis=axis))


# ------------------------------------------------------------------ ufuncs
def transform(lims, x):
    return x * (lims[1] - lims[0]) + lims[0]


def unary_ufunc_check(fun, lims=(-2, 2)):
    inputs = [transform(lims, v) for v in (1, 0.4, rng.random(2), rng.random((3, 2)),
                                           rng.random((1, 2)))]
    return combo_check(fun, (0,), inputs)


UNARY = {
    "sin": (np.sin, (-2, 2)), "abs": (np.abs, (0.1, 4.0)), "absolute": (np.absolute, (0.1, 4.0)),
    "arccosh": (np.arccosh, (1.1, 4.0)), "arcsinh": (np.arcsinh, (-0.9, 0.9)),
    "arctanh": (np.arctanh, (-0.9, 0.9)), "ceil": (np.ceil, (-1.5, 1.5)),
    "cos": (np.cos, (-2, 2)), "cosh": (np.cosh, (-2, 2)), "deg2rad": (np.deg2rad, (-2, 2)),
    "degrees": (lambda x: np.degrees(x) / 50.0, (-2, 2)), "exp": (np.exp, (-2, 2)),
    "exp2": (np.exp2, (-2, 2)), "expm1": (np.expm1, (-2, 2)), "fabs": (np.fabs, (-2, 2)),
    "floor": (np.floor, (-1.5, 1.5)), "log": (np.log, (0.2, 2.0)),
    "log10": (np.log10, (0.2, 2.0)), "log1p": (np.log1p, (0.2, 2.0)),
    "log2": (np.log2, (0.2, 2.0)), "rad2deg": (lambda x: np.rad2deg(x) / 50.0, (-2, 2)),
    "radians": (np.radians, (-2, 2)), "sign": (np.sign, (-2, 2)), "sinh": (np.sinh, (-2, 2)),
    "sqrt": (np.sqrt, (1.0, 3.0)), "square": (np.square, (-2, 2)),
    "tan": (np.tan, (-1.1, 1.1)), "tanh": (np.tanh, (-2, 2)), "real": (np.real, (-2, 2)),
    "real_if_close": (np.real_if_close, (-2, 2)), "imag": (np.imag, (-2, 2)),
    "conj": (np.conj, (-2, 2)),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_ufunc(name):
    fun, lims = UNARY[name]
    assert unary_ufunc_check(fun, lims) == 5


def binary_ufunc_check(fun, lims_a=(-2, 2), lims_b=(-2, 2), same_args=True):
    if same_args:
        values = [(0.6, 0.6), (1, 1), (rng.random(2),) * 2, (rng.random((3, 2)),) * 2,
                  (rng.random((1, 2)),) * 2]
    else:  # a and b never equal: the gradient of mod is undefined where a = b
        values = [(0.6, 0.7), (2, 3), (rng.random(2), rng.random(2)),
                  (rng.random((3, 2)), rng.random((3, 2))),
                  (rng.random((1, 2)), rng.random((1, 2)))]
    a_choices = [transform(lims_a, a) for a, _ in values]
    b_choices = [transform(lims_b, b) for _, b in values]
    return combo_check(fun, (0, 1), a_choices, b_choices)


BINARY = {
    "add": (np.add, (-2, 2), (-2, 2), True), "logaddexp": (np.logaddexp, (-2, 2), (-2, 2), True),
    "logaddexp2": (np.logaddexp2, (-2, 2), (-2, 2), True),
    "remainder": (np.remainder, (-0.9, 0.9), (0.7, 1.9), False),
    "true_divide": (np.true_divide, (-2, 2), (0.8, 1.2), True),
    "mod": (np.mod, (-2, 2), (0.8, 2.1), False),
    "true_divide_neg": (np.true_divide, (-2, 2), (-0.3, -2.0), True),
    "mod_neg": (np.mod, (-2, 2), (-0.3, -2.0), False),
    "op_mul": (operator.mul, (-2, 2), (-2, 2), True),
    "op_add": (operator.add, (-2, 2), (-2, 2), True),
    "op_sub": (operator.sub, (-2, 2), (-2, 2), True),
    "op_mod": (operator.mod, (-2, 2), (0.3, 2.0), False),
    "op_mod_neg": (operator.mod, (-2, 2), (-0.3, -2.0), False),
}


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_ufunc(name):
    fun, lims_a, lims_b, same_args = BINARY[name]
    assert binary_ufunc_check(fun, lims_a, lims_b, same_args) == 25


# ------------------------------------------------------------------ everything else
def _lists(*shapes_):
    return [R(*s) for s in shapes_]


MISC = {
    "transpose": lambda: combo_check(np.transpose, [0], [R(2, 3, 4)], axes=[
        None, [0, 1, 2], [0, 2, 1], [2, 0, 1], [2, 1, 0], [1, 0, 2], [1, 2, 0]]),
    "repeat": lambda: combo_check(np.repeat, [0], [R(2, 3, 4), R(3, 1)], repeats=[0, 1, 2],
                                  axis=[None, 0, 1]),
    "diff": lambda: (combo_check(np.diff, [0], [R(5, 5), R(5, 5, 5)], n=[1, 2], axis=[0, 1])
                     + combo_check(np.diff, [0], [R(1), R(1, 1)], axis=[0])
                     + combo_check(np.diff, [0], [R(1, 1), R(3, 1)], axis=[1])),
    "tile": lambda: (combo_check(np.tile, [0], [R(2, 1, 3, 1)], reps=[(1, 4, 1, 2)])
                     + combo_check(np.tile, [0], [R(1, 2)], reps=[(1, 2), (2, 3), (3, 2, 1)])
                     + combo_check(np.tile, [0], [R(1)], reps=[(2,), 2])),
    "kron": lambda: combo_check(np.kron, [0, 1], [R(5, 5), R(4, 4)], [R(3, 3), R(2, 2)]),
    "inner": lambda: combo_check(np.inner, [0, 1], [1.5, R(3), R(2, 3)],
                                 [0.3, R(3), R(4, 3)]),
    "dot": lambda: combo_check(np.dot, [0, 1], [1.5, R(3), R(2, 3), R(2, 2, 3)],
                               [0.3, R(3), R(3, 4), R(2, 3, 4)]),
    "matmul": lambda: combo_check(np.matmul, [0, 1], [R(3), R(2, 3), R(2, 2, 3)],
                                  [R(3), R(3, 4), R(2, 3, 4)]),
    "tensordot_1": lambda: combo_check(np.tensordot, [0, 1], [R(1, 3), R(2, 3, 2)],
                                       [R(3), R(3, 1), R(3, 4, 2)], axes=[[(1,), (0,)]]),
    "tensordot_2": lambda: combo_check(np.tensordot, [0, 1], [R(3), R(3, 1), R(3, 4, 2)],
                                       [R(1, 3), R(2, 3, 2)], axes=[[(0,), (1,)]]),
    "tensordot_3": lambda: combo_check(np.tensordot, [0, 1], [R(2, 3), R(2, 3, 4)],
                                       [R(1, 2, 3), R(2, 2, 3, 4)],
                                       axes=[[(0, 1), (1, 2)], [(1, 0), (2, 1)]]),
    "tensordot_4": lambda: combo_check(np.tensordot, [0, 1], [R(2, 2), R(4, 2, 2)],
                                       [R(2, 2), R(2, 2, 4)], axes=[1, 2]),
    "tensordot_5": lambda: combo_check(np.tensordot, [0, 1], [R(4)], [R()], axes=[0]),
    "tensordot_6": lambda: combo_check(np.tensordot, [0, 1], [R(2, 6)], [R(6, 3)],
                                       axes=[[[-1], [0]]]),
    "maximum": lambda: combo_check(np.maximum, [0, 1], _lists((1,), (1, 4), (3, 4)),
                                   _lists((1,), (1, 4), (3, 4))),
    "fmax": lambda: combo_check(np.fmax, [0, 1], _lists((1,), (1, 4), (3, 4)),
                                _lists((1,), (1, 4), (3, 4))),
    "minimum": lambda: combo_check(np.minimum, [0, 1], _lists((1,), (1, 4), (3, 4)),
                                   _lists((1,), (1, 4), (3, 4))),
    "fmin": lambda: combo_check(np.fmin, [0, 1], _lists((1,), (1, 4), (3, 4)),
                                _lists((1,), (1, 4), (3, 4))),
    "sort": lambda: combo_check(np.sort, [0], [R(1), R(7)]),
    "partition": lambda: combo_check(np.partition, [0], [R(7), R(14)], kth=[0, 3, 6]),
    "atleast_1d": lambda: combo_check(np.atleast_1d, [0], [1.2, R(1), R(7), R(1, 4), R(2, 4),
                                                          R(2, 4, 5)]),
    "atleast_2d": lambda: combo_check(np.atleast_2d, [0], [1.2, R(1), R(7), R(1, 4), R(2, 4),
                                                          R(2, 4, 5)]),
    "atleast_3d": lambda: combo_check(np.atleast_3d, [0], [1.2, R(1), R(7), R(1, 4), R(2, 4),
                                                          R(2, 4, 5), R(2, 4, 3, 5)]),
    "einsum_transpose": lambda: combo_check(np.einsum, [1], ["ij->ji"],
                                            [R(1, 1), R(4, 4), R(3, 4)]),
    "einsum_matmult": lambda: combo_check(np.einsum, [1, 2], ["ij,jk->ik"], [R(2, 3)],
                                          [R(3, 4)]),
    "einsum_matmult_broadcast": lambda: combo_check(
        np.einsum, [1, 2], ["...ij,...jk->...ik"], [R(2, 3), R(2, 2, 3)], [R(3, 4), R(2, 3, 4)]),
    "einsum_covsum": lambda: combo_check(np.einsum, [1, 2], ["ijk,lji->lki"], [R(3, 4, 4)],
                                         [R(4, 4, 3)]),
    "einsum_ellipses": lambda: combo_check(
        np.einsum, [1, 2], ["...jk,...lj->...lk", "...,...->..."], [R(4, 4), R(3, 4, 4)],
        [R(4, 4), R(3, 4, 4)]),
    "einsum_ellipses_tail": lambda: combo_check(
        np.einsum, [1, 2], ["jk...,lj...->lk..."], [R(3, 2), R(3, 2, 4)], [R(2, 3), R(2, 3, 4)]),
    "einsum_ellipses_center": lambda: combo_check(
        np.einsum, [1, 2], ["j...k,lj...->lk..."], [R(2, 2), R(2, 2, 2)], [R(2, 2), R(2, 2, 2)]),
    "einsum_three_args": lambda: combo_check(
        np.einsum, [1, 2], ["ijk,lji,lli->lki"], [R(3, 4, 4)], [R(4, 4, 3)], [R(4, 4, 3)]),
    "einsum2_transpose": lambda: combo_check(np.einsum, [0], [R(1, 1), R(4, 4), R(3, 4)],
                                             [(0, 1)], [(1, 0)]),
    "einsum2_matmult": lambda: combo_check(np.einsum, [0, 2], [R(2, 3)], [(0, 1)], [R(3, 4)],
                                           [(1, 2)], [(0, 2)]),
    "einsum2_matmult_broadcast": lambda: combo_check(
        np.einsum, [0, 2], [R(2, 3), R(2, 2, 3)], [(Ellipsis, 0, 1)], [R(3, 4), R(2, 3, 4)],
        [(Ellipsis, 1, 2)], [(Ellipsis, 0, 2)]),
    "einsum2_covsum": lambda: combo_check(np.einsum, [0, 2], [R(3, 4, 4)], [(0, 1, 2)],
                                          [R(4, 4, 3)], [(3, 1, 0)], [(3, 2, 0)]),
    "einsum2_three_args": lambda: combo_check(
        np.einsum, [0, 2], [R(3, 4, 4)], [(0, 1, 2)], [R(4, 4, 3)], [(3, 1, 0)], [R(4, 4, 3)],
        [(3, 3, 0)], [(3, 2, 0)]),
    "trace": lambda: combo_check(np.trace, [0], [R(5, 5), R(4, 5), R(5, 4), R(3, 4, 5)],
                                 offset=[-1, 0, 1]),
    "diag": lambda: combo_check(np.diag, [0], [R(5, 5)], k=[-1, 0, 1]),
    "diag_flat": lambda: combo_check(np.diag, [0], [R(5)], k=[-1, 0, 1]),
    "tril": lambda: combo_check(np.tril, [0], [R(5, 5)], k=[-1, 0, 1]),
    "triu": lambda: combo_check(np.triu, [0], [R(5, 5)], k=[-1, 0, 1]),
    "tril_3d": lambda: combo_check(np.tril, [0], [R(5, 5, 4)], k=[-1, 0, 1]),
    "triu_3d": lambda: combo_check(np.triu, [0], [R(5, 5, 4)], k=[-1, 0, 1]),
    "swapaxes": lambda: combo_check(np.swapaxes, [0], [R(3, 4, 5)], axis1=[0, 1, 2],
                                    axis2=[0, 1, 2]),
    "rollaxis": lambda: combo_check(np.rollaxis, [0], [R(2, 3, 4)], axis=[0, 1, 2],
                                    start=[0, 1, 2, 3]),
    "cross": lambda: combo_check(np.cross, [0, 1], [R(3, 3)], [R(3, 3)], axisa=[-1, 0, 1],
                                 axisb=[-1, 0, 1], axisc=[-1, 0, 1], axis=[None, -1, 0, 1]),
    "vsplit_2d": lambda: combo_check(np.vsplit, [0], [R(4, 8)], [4, [1, 2]]),
    "vsplit_3d": lambda: combo_check(np.vsplit, [0], [R(4, 4, 4)], [2, [1, 2]]),
    "hsplit_2d": lambda: combo_check(np.hsplit, [0], [R(4, 8)], [4, [1, 2]]),
    "hsplit_3d": lambda: combo_check(np.hsplit, [0], [R(4, 4, 4)], [2, [1, 2]]),
    "dsplit_3d": lambda: combo_check(np.dsplit, [0], [R(4, 4, 4)], [2, [1, 2]]),
    "split_1d": lambda: combo_check(np.split, [0], [R(1), R(7)], [1], axis=[0]),
    "split_2d": lambda: combo_check(np.split, [0], [R(4, 8)], [4, [1, 2]], axis=[0, 1]),
    "split_3d": lambda: combo_check(np.split, [0], [R(4, 4, 4)], [2, [1, 2]], axis=[0, 1, 2]),
    "array_split_1d": lambda: combo_check(np.array_split, [0], [R(1), R(7)], [1, 3], axis=[0]),
    "array_split_2d": lambda: combo_check(np.array_split, [0], [R(7, 7)], [4, [3, 5]],
                                          axis=[0, 1]),
    "array_split_3d": lambda: combo_check(np.array_split, [0], [R(7, 7, 7)], [4, [3, 5]],
                                          axis=[0, 1, 2]),
}


@pytest.mark.parametrize("name", list(MISC))
def test_misc(name):
    assert MISC[name]() > 0


# sequences of arrays as one argument (concatenate, the stacks, select): each array in the
# sequence is a Tensor in the graph
SEQUENCES = {
    "concatenate_list": (np.concatenate, [[R(1), R(3)]], dict(axis=[0])),
    "concatenate_tuple": (np.concatenate, [(R(1), R(3))], dict(axis=[0])),
    "concatenate_2d": (np.concatenate, [(R(2, 2), R(2, 2))], dict(axis=[0, 1])),
    "concatenate_3d": (np.concatenate, [(R(2, 2, 2), R(2, 2, 2))], dict(axis=[0, 1, 2])),
    "vstack_1d": (np.vstack, [[R(2)], (R(2), R(2))], {}),
    "vstack_2d": (np.vstack, [[R(2, 3)], (R(2, 4), R(1, 4))], {}),
    "vstack_3d": (np.vstack, [[R(2, 3, 4)], (R(2, 3, 4), R(5, 3, 4))], {}),
    "hstack_1d": (np.hstack, [[R(2)], (R(2), R(2))], {}),
    "hstack_2d": (np.hstack, [[R(3, 2)], (R(3, 4), R(3, 5))], {}),
    "hstack_3d": (np.hstack, [[R(2, 3, 4)], (R(2, 1, 4), R(2, 5, 4))], {}),
    "stack_1d": (np.stack, [(R(2),), (R(2), R(2))], dict(axis=[0, 1])),
    "column_stack_1d": (np.column_stack, [[R(2)], (R(2), R(2))], {}),
    "column_stack_2d": (np.column_stack, [[R(2, 2)], (R(2, 2), R(2, 2))], {}),
}


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_functions_of_sequences_of_arrays(name):
    fun, sequences, kwargs = SEQUENCES[name]
    keyword_choices = [[(k, v) for v in vs] for k, vs in kwargs.items()]
    for sequence in sequences:
        for chosen in itertools.product(*keyword_choices):
            keywords = dict(chosen)
            kind = type(sequence)
            tensors = [Tensor(a, requires_grad=True) for a in sequence]

            def on(*ts, kind=kind, keywords=keywords):
                return fun(kind(ts), **keywords)

            np.testing.assert_allclose(on(*tensors).data, fun(sequence, **keywords))
            assert gradcheck(on, tensors) and gradgradcheck(on, tensors)


def test_select():
    conditions = [R(3, 4, 5) > 0, R(3, 4, 5) > 0, R(3, 4, 5) > 0]
    choices = [R(3, 4, 5), R(3, 4, 5), R(3, 4, 5)]
    for default in (0.0, 1.1):
        tensors = [Tensor(c, requires_grad=True) for c in choices]

        def on(*ts, default=default):
            return np.select(conditions, list(ts), default=default)

        np.testing.assert_allclose(on(*tensors).data, np.select(conditions, choices, default))
        assert gradcheck(on, tensors) and gradgradcheck(on, tensors)

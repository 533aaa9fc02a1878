"""The op library: each op a Function with its forward and backward side by side."""

from autograd.ops.arithmetic import (
    Add, Div, Maximum, Minimum, Mul, Neg, Pow, Sub, add, div, maximum, minimum, mul, neg, pow, sub,
)
from autograd.ops.broadcasting import unbroadcast
from autograd.ops.conv import Conv2d, Fold, Pad, Unfold, conv2d, fold, pad, unfold
from autograd.ops.elementwise import (
    Arccos, Arccosh, Arcsin, Arcsinh, Arctan, Arctan2, Arctanh, Ceil, Cos, Cosh, Exp2, Expm1,
    Floor, Fmod, Hypot, Log10, Log1p, Log2, LogAddExp, LogAddExp2, Mod, NanToNum, Reciprocal,
    Round, Sign, Sin, Sinh, Softplus, Square, Tan, Trunc, arccos, arccosh, arcsin, arcsinh, arctan,
    arctan2, arctanh, ceil, cos, cosh, exp2, expm1, floor, fmod, hypot, log10, log1p, log2,
    logaddexp, logaddexp2, mod, nan_to_num, reciprocal, round, sign, sin, sinh, softplus, square,
    tan, trunc,
)
from autograd.ops.linalg import Affine, MatMul, affine, matmul
from autograd.ops.pool import AvgPool2d, MaxPool2d, avg_pool2d, max_pool2d
from autograd.ops.products import (
    Diagonal, DiagonalEmbed, Einsum, diag, diagonal, dot, einsum, inner, kron, outer, tensordot,
    trace, tril, triu,
)
from autograd.ops.reduce import LogSumExp, Max, Mean, Min, Sum, max, mean, min, sum
from autograd.ops.shape import (
    BroadcastTo, Concatenate, ExpandDims, GetItem, IndexAdd, Reshape, SetItem, Squeeze, Stack,
    Transpose, Where, broadcast_to, concatenate, expand_dims, getitem, reshape, set_item, squeeze,
    stack, swapaxes, transpose, where,
)
from autograd.ops.statistics import (  # (logsumexp: reduce's, with scipy's b= weights)
    Cumprod, Cumsum, L2Norm, Prod, Std, Var, WeightedLogSumExp, all, any, argmax, argmin,
    average, cumprod, cumsum, logsumexp, norm, prod, ptp, std, var,
)
from autograd.ops.softmax import LogSoftmax, Softmax, log_softmax, softmax
from autograd.ops.unary import (
    Abs, Cast, Clip, Clone, Exp, Log, ReLU, Sigmoid, Sqrt, Step, Tanh, abs, cast, clip, clone, exp,
    log, relu, sigmoid, sqrt, step, tanh,
)

__all__ = [
    "Abs", "Add", "Affine", "Arccos", "Arccosh", "Arcsin", "Arcsinh", "Arctan", "Arctan2",
    "Arctanh", "AvgPool2d", "BroadcastTo", "Cast", "Ceil", "Clip", "Clone", "Concatenate", "Conv2d",
    "Cos", "Cosh", "Cumprod", "Cumsum", "Diagonal", "DiagonalEmbed", "Div", "Einsum", "Exp", "Exp2",
    "ExpandDims", "Expm1", "Floor", "Fmod", "Fold", "GetItem", "Hypot", "IndexAdd", "L2Norm", "Log",
    "Log10", "Log1p", "Log2", "LogAddExp", "LogAddExp2", "LogSoftmax", "LogSumExp", "MatMul", "Max",
    "MaxPool2d", "Maximum", "Mean", "Min", "Minimum", "Mod", "Mul", "NanToNum", "Neg", "Pad", "Pow",
    "Prod", "ReLU", "Reciprocal", "Reshape", "Round", "SetItem", "Sigmoid", "Sign", "Sin", "Sinh",
    "Softmax", "Softplus", "Sqrt", "Square", "Squeeze", "Stack", "Std", "Step", "Sub", "Sum", "Tan",
    "Tanh", "Transpose", "Trunc", "Unfold", "Var", "WeightedLogSumExp", "Where",
    "abs", "add", "affine", "all", "any", "arccos", "arccosh", "arcsin", "arcsinh", "arctan",
    "arctan2", "arctanh", "argmax", "argmin", "average", "avg_pool2d", "broadcast_to", "cast",
    "ceil", "clip", "clone", "concatenate", "conv2d", "cos", "cosh", "cumprod", "cumsum", "diag",
    "diagonal", "div", "dot", "einsum", "exp", "exp2", "expand_dims", "expm1", "floor", "fmod",
    "fold", "getitem", "hypot", "inner", "kron", "log", "log10", "log1p", "log2", "log_softmax",
    "logaddexp", "logaddexp2", "logsumexp", "matmul", "max", "max_pool2d", "maximum", "mean", "min",
    "minimum", "mod", "mul", "nan_to_num", "neg", "norm", "outer", "pad", "pow", "prod", "ptp",
    "reciprocal", "relu", "reshape", "round", "set_item", "sigmoid", "sign", "sin", "sinh",
    "softmax", "softplus", "sqrt", "square", "squeeze", "stack", "std", "step", "sub", "sum",
    "swapaxes", "tan", "tanh", "tensordot", "trace", "transpose", "tril", "triu", "trunc",
    "unbroadcast", "unfold", "var", "where",
]

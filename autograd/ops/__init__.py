"""The op library: each op a Function with its forward and backward side by side."""

from autograd.ops.arithmetic import (
    Add, Div, Maximum, Minimum, Mul, Neg, Pow, Sub, add, div, maximum, minimum, mul, neg, pow, sub,
)
from autograd.ops.broadcasting import unbroadcast
from autograd.ops.conv import Conv2d, Fold, Pad, Unfold, conv2d, fold, pad, unfold
from autograd.ops.linalg import Affine, MatMul, affine, matmul
from autograd.ops.pool import AvgPool2d, MaxPool2d, avg_pool2d, max_pool2d
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
    "Abs", "Add", "Affine", "AvgPool2d", "BroadcastTo", "Cast", "Clip", "Clone", "Concatenate",
    "Conv2d", "Cumprod", "Cumsum", "Div", "Exp", "ExpandDims", "Fold", "GetItem", "IndexAdd",
    "L2Norm", "Log", "LogSoftmax", "LogSumExp", "MatMul", "Max", "MaxPool2d", "Maximum", "Mean",
    "Min", "Minimum", "Mul", "Neg", "Pad", "Pow", "Prod", "ReLU", "Reshape", "SetItem", "Sigmoid",
    "Softmax", "Sqrt", "Squeeze", "Stack", "Std", "Step", "Sub", "Sum", "Tanh", "Transpose",
    "Unfold", "Var", "WeightedLogSumExp", "Where",
    "abs", "add", "affine", "all", "any", "argmax", "argmin", "average", "avg_pool2d",
    "broadcast_to", "cast", "clip", "clone", "concatenate", "conv2d", "cumprod", "cumsum", "div",
    "exp", "expand_dims", "fold", "getitem", "log", "log_softmax", "logsumexp", "matmul", "max",
    "max_pool2d", "maximum", "mean", "min", "minimum", "mul", "neg", "norm", "pad", "pow", "prod",
    "ptp", "relu", "reshape", "set_item", "sigmoid", "softmax", "sqrt", "squeeze", "stack", "std",
    "step", "sub", "sum", "swapaxes", "tanh", "transpose", "unbroadcast", "unfold", "var", "where",
]

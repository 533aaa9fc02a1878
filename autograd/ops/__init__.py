"""The op library by concept: the course's ops in course.py, the rest in elementwise, reductions,
shape, linalg, conv, pool, padding and compositions; each op a Function with its forward and
backward side by side."""

from autograd.ops.compositions import (
    append, convolve, corrcoef, correlate, cov, cross, delete, diff, ediff1d, gradient, insert,
    median, nanmax, nanmean, nanmin, nanprod, nanstd, nansum, nanvar, partition, percentile,
    quantile, trapezoid,
)
from autograd.ops.conv import Conv2d, Fold, Unfold, conv2d, fold, unfold
from autograd.ops.course import (
    Add, Affine, BroadcastTo, Div, Exp, GetItem, IndexAdd, Log, LogSoftmax, LogSumExp, MatMul, Mean,
    Mul, Neg, Pow, ReLU, Reshape, Sigmoid, Softmax, Sqrt, Step, Sub, Sum, Tanh, Transpose, add,
    affine, broadcast_to, div, exp, getitem, log, log_softmax, logsumexp, matmul, mean, mul, neg,
    pow, relu, reshape, sigmoid, softmax, sqrt, step, sub, sum, tanh, transpose, unbroadcast,
)
from autograd.ops.elementwise import (
    Abs, Arccos, Arccosh, Arcsin, Arcsinh, Arctan, Arctan2, Arctanh, Cast, Cbrt, Ceil, Clip, Clone,
    Copysign, Cos, Cosh, Deg2rad, Exp2, Expm1, Fix, Floor, FloorDivide, Fmax, Fmin, Fmod, Heaviside,
    Hypot, Log10, Log1p, Log2, LogAddExp, LogAddExp2, Maximum, Minimum, Mod, NanToNum, Rad2deg,
    Reciprocal, Round, Sign, Sin, Sinc, Sinh, Softplus, Square, Tan, Trunc, abs, arccos, arccosh,
    arcsin, arcsinh, arctan, arctan2, arctanh, cast, cbrt, ceil, clip, clone, copysign, cos, cosh,
    deg2rad, degrees, exp2, expm1, fix, float_power, floor, floor_divide, fmax, fmin, fmod,
    heaviside, hypot, log10, log1p, log2, logaddexp, logaddexp2, maximum, minimum, mod, nan_to_num,
    rad2deg, radians, reciprocal, round, sign, sin, sinc, sinh, softplus, square, tan, trunc,
)
from autograd.ops.linalg import (
    Cholesky, Det, Diagonal, DiagonalEmbed, Eigh, Einsum, Inv, SVD, Slogdet, Solve, cholesky, det,
    diag, diagonal, dot, eigh, einsum, inner, inv, kron, outer, slogdet, solve, svd, tensordot,
    trace, tril, triu, vdot,
)
from autograd.ops.padding import Pad, pad, pad_array
from autograd.ops.pool import AvgPool2d, MaxPool2d, avg_pool2d, max_pool2d
from autograd.ops.reductions import (
    Cumprod, Cumsum, L2Norm, Max, Min, Prod, Std, Var, all, any, argmax, argmin, average, cumprod,
    cumsum, max, min, norm, prod, ptp, std, var,
)
from autograd.ops.shape import (
    Concatenate, ExpandDims, SetItem, Squeeze, Stack, Where, argsort, array_split, atleast_1d,
    atleast_2d, atleast_3d, cat, column_stack, concatenate, dsplit, dstack, expand_dims, flip,
    fliplr, flipud, hsplit, hstack, index_update, moveaxis, put_along_axis, ravel, repeat, roll,
    rollaxis, rot90, select, set_item, sort, split, squeeze, stack, swapaxes, take, take_along_axis,
    tile, vsplit, vstack, where,
)

WeightedLogSumExp = LogSumExp  # its old name: LogSumExp takes the weights b

__all__ = [
    "Abs", "Add", "Affine", "Arccos", "Arccosh", "Arcsin", "Arcsinh", "Arctan", "Arctan2",
    "Arctanh", "AvgPool2d", "BroadcastTo", "Cast", "Cbrt", "Ceil", "Cholesky", "Clip", "Clone",
    "Concatenate", "Conv2d", "Copysign", "Cos", "Cosh", "Cumprod", "Cumsum", "Deg2rad", "Det",
    "Diagonal", "DiagonalEmbed", "Div", "Eigh", "Einsum", "Exp", "Exp2", "ExpandDims", "Expm1",
    "Fix", "Floor", "FloorDivide", "Fmax", "Fmin", "Fmod", "Fold", "GetItem", "Heaviside", "Hypot",
    "IndexAdd", "Inv", "L2Norm", "Log", "Log10", "Log1p", "Log2", "LogAddExp", "LogAddExp2",
    "LogSoftmax", "LogSumExp", "MatMul", "Max", "MaxPool2d", "Maximum", "Mean", "Min", "Minimum",
    "Mod", "Mul", "NanToNum", "Neg", "Pad", "Pow", "Prod", "Rad2deg", "ReLU", "Reciprocal",
    "Reshape", "Round", "SVD", "SetItem", "Sigmoid", "Sign", "Sin", "Sinc", "Sinh", "Slogdet",
    "Softmax", "Softplus", "Solve", "Sqrt", "Square", "Squeeze", "Stack", "Std", "Step", "Sub",
    "Sum", "Tan", "Tanh", "Transpose", "Trunc", "Unfold", "Var", "WeightedLogSumExp", "Where",
    "abs", "add", "affine", "all", "any", "append", "arccos", "arccosh", "arcsin", "arcsinh",
    "arctan", "arctan2", "arctanh", "argmax", "argmin", "argsort", "array_split", "atleast_1d",
    "atleast_2d", "atleast_3d", "average", "avg_pool2d", "broadcast_to", "cast", "cat", "cbrt",
    "ceil", "cholesky", "clip", "clone", "column_stack", "concatenate", "conv2d", "convolve",
    "copysign", "corrcoef", "correlate", "cos", "cosh", "cov", "cross", "cumprod", "cumsum",
    "deg2rad", "degrees", "delete", "det", "diag", "diagonal", "diff", "div", "dot", "dsplit",
    "dstack", "ediff1d", "eigh", "einsum", "exp", "exp2", "expand_dims", "expm1", "fix", "flip",
    "fliplr", "flipud", "float_power", "floor", "floor_divide", "fmax", "fmin", "fmod", "fold",
    "getitem", "gradient", "heaviside", "hsplit", "hstack", "hypot", "index_update", "inner",
    "insert", "inv", "kron", "log", "log10", "log1p", "log2", "log_softmax", "logaddexp",
    "logaddexp2", "logsumexp", "matmul", "max", "max_pool2d", "maximum", "mean", "median", "min",
    "minimum", "mod", "moveaxis", "mul", "nan_to_num", "nanmax", "nanmean", "nanmin", "nanprod",
    "nanstd", "nansum", "nanvar", "neg", "norm", "outer", "pad", "pad_array", "partition",
    "percentile", "pow", "prod", "ptp", "put_along_axis", "quantile", "rad2deg", "radians", "ravel",
    "reciprocal", "relu", "repeat", "reshape", "roll", "rollaxis", "rot90", "round", "select",
    "set_item", "sigmoid", "sign", "sin", "sinc", "sinh", "slogdet", "softmax", "softplus", "solve",
    "sort", "split", "sqrt", "square", "squeeze", "stack", "std", "step", "sub", "sum", "svd",
    "swapaxes", "take", "take_along_axis", "tan", "tanh", "tensordot", "tile", "trace", "transpose",
    "trapezoid", "tril", "triu", "trunc", "unbroadcast", "unfold", "var", "vdot", "vsplit",
    "vstack", "where",
]

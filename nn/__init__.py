"""Neural-network layers, losses, initializers and data, built only from autograd tensors."""

from nn import datasets, functional, init
from nn.activations import Sigmoid, Softmax, Step, Tanh, ReLU
from nn.data import DataLoader, TensorDataset
from nn.datasets import load_digits, load_idx, load_mnist_sample
from nn.functional import accuracy, l2_penalty, zero_one_loss
from nn.layers import Dropout, Identity, Linear
from nn.losses import (
    BCEWithLogitsLoss, BinaryCrossEntropy, CrossEntropyLoss, MSELoss, SoftmaxCrossEntropy,
)
from nn.mlp import MLP
from nn.conv import Conv2d, Flatten
from nn.module import Module, Parameter, Sequential
from nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from nn.pooling import AvgPool2d, MaxPool2d
from nn.serialization import load, load_state, save
from nn.summary import summary

manual_seed = init.seed

__all__ = [
    "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv2d", "Flatten", "LayerNorm", "MaxPool2d",
    "BCEWithLogitsLoss", "CrossEntropyLoss",
    "BinaryCrossEntropy", "DataLoader", "Dropout", "Identity", "Linear", "MLP", "MSELoss",
    "Module", "Parameter", "ReLU", "Sequential", "Sigmoid", "Softmax", "SoftmaxCrossEntropy",
    "Step", "Tanh", "TensorDataset", "accuracy", "datasets", "functional", "init",
    "l2_penalty", "load", "load_digits", "load_idx", "load_mnist_sample", "load_state",
    "manual_seed", "save", "summary", "zero_one_loss",
]

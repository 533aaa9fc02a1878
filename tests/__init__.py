"""The suite, one folder per package it tests (tests/autograd/ops/ for autograd/ops/, ...).

Each folder is a package, so a test module imports another's helpers by its full name
(`from tests.autograd.ops.test_conv import naive_conv2d`) wherever pytest is started from.
"""

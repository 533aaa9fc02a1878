"""chainrule: the command-line front end (`chainrule train`, `chainrule graph`, `make demo`).

The library itself is the three packages `autograd`, `nn` and `optim`.
"""

"""Loads a TorchScript file with PyTorch's own torch.jit.load and prints the logits of two fixed id rows.

The independent check that `scratchgpt export djl` writes a standard TorchScript archive: no ScratchGPT and no DJL
here, only PyTorch. Usage: python3 torchscript_logits.py model.pt "3 1 4 ..." "0 2 4 ..."
Prints the torch version on the first line, then the logits (B, T, V) flattened, one number per line.
"""
import sys

import torch

module = torch.jit.load(sys.argv[1], map_location="cpu")
ids = torch.tensor([[int(i) for i in row.split()] for row in sys.argv[2:]], dtype=torch.int64)  # (B, T)
with torch.no_grad():
    out = module(ids)
logits = out[0] if isinstance(out, (tuple, list)) else out  # (B, T, V): the first output
print(torch.__version__)
for value in logits.flatten().tolist():
    print(repr(float(value)))

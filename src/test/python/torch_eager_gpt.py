#!/usr/bin/env python3
"""The same GPT and training step as ScratchGPT, in plain PyTorch eager mode: the peer that
`scratchgpt bench train --vs-torch` measures against, in the same run, on the same machine.

Pre-norm transformer blocks, attention written out (scores, causal mask, softmax, weighted sum),
GELU MLP 4x, tied embeddings, learned positions, AdamW with decay on matrices, clipping at 1.0.
Random token batches: speed does not depend on the data. Prints one JSON line.

    python3 torch_eager_gpt.py --layers 4 --heads 4 --width 128 --context 64 --vocab 65 --batch 12
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, width, heads, context, bias):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width, bias=bias)
        self.proj = nn.Linear(width, width, bias=bias)
        self.register_buffer("mask", torch.tril(torch.ones(context, context)).bool())

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        scores = scores.masked_fill(~self.mask[:t, :t], float("-inf"))
        y = F.softmax(scores, dim=-1) @ v
        return self.proj(y.transpose(1, 2).contiguous().view(b, t, c))


class Block(nn.Module):
    def __init__(self, width, heads, context, bias):
        super().__init__()
        self.ln1 = nn.LayerNorm(width, elementwise_affine=True)
        self.attn = SelfAttention(width, heads, context, bias)
        self.ln2 = nn.LayerNorm(width, elementwise_affine=True)
        self.fc = nn.Linear(width, 4 * width, bias=bias)
        self.out = nn.Linear(4 * width, width, bias=bias)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.tokens = nn.Embedding(a.vocab, a.width)
        self.positions = nn.Embedding(a.context, a.width)
        self.blocks = nn.ModuleList(Block(a.width, a.heads, a.context, a.bias) for _ in range(a.layers))
        self.ln = nn.LayerNorm(a.width)

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.tokens(idx) + self.positions(torch.arange(t))
        for block in self.blocks:
            x = block(x)
        logits = self.ln(x) @ self.tokens.weight.t()  # tied output head
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    p = argparse.ArgumentParser()
    for name, default in [("layers", 4), ("heads", 4), ("width", 128), ("context", 64), ("vocab", 65),
                          ("batch", 12), ("steps", 30), ("warmup", 5), ("threads", 0)]:
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--bias", action="store_true")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1337)
    model = Gpt(a)
    decay = [q for q in model.parameters() if q.dim() >= 2]
    no_decay = [q for q in model.parameters() if q.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=1e-3, betas=(0.9, 0.99))

    def step():
        x = torch.randint(a.vocab, (a.batch, a.context))
        y = torch.randint(a.vocab, (a.batch, a.context))
        loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = (time.perf_counter() - start) / a.steps
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "ms_per_step": seconds * 1000, "tokens_per_sec": a.batch * a.context / seconds}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The same GPT and training step as ScratchGPT, in plain PyTorch eager mode: the peer that
`scratchgpt bench train --vs-torch` measures against, in the same run, on the same machine.

Pre-norm transformer blocks, attention written out (scores, causal mask, softmax, weighted sum),
exact GELU MLP 4x, tied embeddings, learned positions, AdamW with decay on matrices, clipping at 1.0.
Random token batches: speed does not depend on the data. Prints one JSON line; with --precision bf16 the
forward and the loss run under torch.autocast("cpu", dtype=torch.bfloat16) (CPU autocast in 1.13 knows no
float16). With --serve it stays up after the warm-up and answers commands on stdin (see serve()), so that
ScratchGPT and PyTorch can take turns in one benchmark without timing Python's start-up.

    python3 torch_eager_gpt.py --layers 4 --heads 4 --width 128 --context 64 --vocab 65 --batch 12

With --data FILE it trains for real instead, as nanoGPT's shakespeare_char does (characters as tokens, the
first 90% to train, warmup + cosine learning rate), printing train and val loss every --eval-interval steps:
a reference for ScratchGPT's loss curve on the same text and settings.

    python3 torch_eager_gpt.py --data input.txt --steps 2000 --eval-interval 250
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# PyTorch 1.13 (Debian's) has no scaled_dot_product_attention, so attention is written out on this side.
ATTENTION = "written out (scores, mask, softmax, weighted sum): PyTorch 1.13 has no fused attention"


class SelfAttention(nn.Module):
    def __init__(self, width, heads, context, bias, dropout):
        super().__init__()
        self.heads = heads
        self.dropout = nn.Dropout(dropout)
        self.qkv = nn.Linear(width, 3 * width, bias=bias)
        self.proj = nn.Linear(width, width, bias=bias)
        self.register_buffer("mask", torch.tril(torch.ones(context, context)).bool())

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        scores = scores.masked_fill(~self.mask[:t, :t], float("-inf"))
        y = self.dropout(F.softmax(scores, dim=-1)) @ v
        return self.dropout(self.proj(y.transpose(1, 2).contiguous().view(b, t, c)))


class Block(nn.Module):
    def __init__(self, width, heads, context, bias, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.ln1 = nn.LayerNorm(width, elementwise_affine=True)
        self.attn = SelfAttention(width, heads, context, bias, dropout)
        self.ln2 = nn.LayerNorm(width, elementwise_affine=True)
        self.fc = nn.Linear(width, 4 * width, bias=bias)
        self.out = nn.Linear(4 * width, width, bias=bias)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.dropout(self.out(F.gelu(self.fc(self.ln2(x)))))


class Gpt(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.tokens = nn.Embedding(a.vocab, a.width)
        self.positions = nn.Embedding(a.context, a.width)
        self.drop = nn.Dropout(a.dropout)
        self.blocks = nn.ModuleList(Block(a.width, a.heads, a.context, a.bias, a.dropout) for _ in range(a.layers))
        self.ln = nn.LayerNorm(a.width)

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.drop(self.tokens(idx) + self.positions(torch.arange(t)))
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
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                   help="bf16: torch.autocast('cpu', dtype=torch.bfloat16) around the forward and the loss")
    p.add_argument("--serve", action="store_true",
                   help="after the warm-up, answer commands on stdin (see serve()) instead of timing once")
    p.add_argument("--data")
    p.add_argument("--eval-interval", type=int, default=250)
    p.add_argument("--eval-iters", type=int, default=20)
    p.add_argument("--seed", type=int, default=1337)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.data:
        text = open(a.data, encoding="utf-8").read()
        chars = sorted(set(text))
        a.vocab = len(chars)
        index = {c: i for i, c in enumerate(chars)}
        ids = torch.tensor([index[c] for c in text])
    model = Gpt(a)
    decay = [q for q in model.parameters() if q.dim() >= 2]
    no_decay = [q for q in model.parameters() if q.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=1e-3, betas=(0.9, 0.99))

    if a.data:
        for module in model.modules():  # GPT-2 initialisation, as ScratchGPT and nanoGPT use
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, 0.0, 0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)
        for block in model.blocks:
            for residual in (block.attn.proj, block.out):
                nn.init.normal_(residual.weight, 0.0, 0.02 / math.sqrt(2 * a.layers))
        train_real(a, model, optimizer, ids)
        return

    def step():
        x = torch.randint(a.vocab, (a.batch, a.context))
        y = torch.randint(a.vocab, (a.batch, a.context))
        # Autocast as PyTorch's own recipe for CPU mixed precision: matrix products in bf16, the rest as it decides.
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(a.warmup):
        step()
    if a.serve:
        serve(a, step)
        return
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = (time.perf_counter() - start) / a.steps
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "ms_per_step": seconds * 1000, "tokens_per_sec": a.batch * a.context / seconds}))


def answer(reply):
    print(json.dumps(reply), flush=True)


def serve(a, step):
    """One JSON line when ready, then one JSON line per command read from stdin, until "quit" or its end:
    "steps N" times N steps (the seconds of each), "peak m,k,n;..." the best FLOP/s of warmed products of those
    shapes in this precision, "profile N" one step under PyTorch's profiler (the N ops, by name and input
    shapes, of most self time).
    Python's start-up and the warm-up are never timed: the caller times nothing but these answers' figures."""
    answer({"torch": torch.__version__, "threads": torch.get_num_threads(), "precision": a.precision,
            "attention": ATTENTION})
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "steps":
            seconds = []
            for _ in range(int(words[1])):
                start = time.perf_counter()
                step()
                seconds.append(time.perf_counter() - start)
            answer({"seconds": seconds})
        elif words[0] == "peak":
            shapes = [tuple(int(n) for n in shape.split(",")) for shape in words[1].split(";")]
            answer({"peak_flops": matmul_peak(shapes, torch.bfloat16 if a.precision == "bf16" else torch.float32)})
        elif words[0] == "profile":
            ops = profile_ops(step)
            answer({"total_ms": sum(op["self_ms"] for op in ops), "ops": ops[:int(words[1]) if len(words) > 1 else 25]})
        else:
            answer({"error": "unknown command " + words[0]})


def matmul_peak(shapes, dtype, runs=3):
    """The best FLOP/s of `runs` warmed products of each (m, k, n) shape, as a Linear layer computes them."""
    best = 0.0
    for m, k, n in shapes:
        x = torch.rand(m, k).to(dtype)
        w = torch.rand(n, k).to(dtype)
        F.linear(x, w)  # warm-up
        for _ in range(runs):
            start = time.perf_counter()
            F.linear(x, w)
            best = max(best, 2.0 * m * k * n / (time.perf_counter() - start))
    return best


def profile_ops(step):
    """One step's operators under torch.autograd.profiler, grouped by name and input shapes, by self CPU time."""
    with torch.autograd.profiler.profile(record_shapes=True) as prof:
        step()
    rows = [{"name": e.key, "shapes": str(e.input_shapes), "calls": e.count, "self_ms": e.self_cpu_time_total / 1000}
            for e in prof.key_averages(group_by_input_shape=True)]
    return sorted(rows, key=lambda r: -r["self_ms"])


def train_real(a, model, optimizer, ids):
    split = int(len(ids) * 0.9)
    data = {"train": ids[:split], "val": ids[split:]}

    def batch(part):
        starts = torch.randint(len(data[part]) - a.context, (a.batch,))
        x = torch.stack([data[part][s:s + a.context] for s in starts])
        y = torch.stack([data[part][s + 1:s + 1 + a.context] for s in starts])
        return x, y

    def learning_rate(it, max_lr=1e-3, min_lr=1e-4, warmup=100):
        if it < warmup:
            return max_lr * (it + 1) / (warmup + 1)
        ratio = min(1.0, (it - warmup) / (a.steps - warmup))
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (max_lr - min_lr)

    for it in range(a.steps + 1):
        if it % a.eval_interval == 0:
            model.eval()
            with torch.no_grad():
                losses = {part: sum(model(*batch(part)).item() for _ in range(a.eval_iters)) / a.eval_iters
                          for part in ("train", "val")}
            model.train()
            print(json.dumps({"step": it, "train_loss": losses["train"], "val_loss": losses["val"]}), flush=True)
        if it == a.steps:
            break
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(it)
        loss = model(*batch("train"))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)


if __name__ == "__main__":
    main()

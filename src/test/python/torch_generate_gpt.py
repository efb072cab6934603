#!/usr/bin/env python3
"""The same GPT shape as ScratchGPT, generating greedily with a KV cache at batch 1 in plain PyTorch eager mode:
the peer that `scratchgpt bench generate --vs-torch` takes turns with, on the same machine.

The model is torch_eager_gpt.py's (pre-norm, attention written out since PyTorch 1.13 has no fused kernel, exact
GELU, tied head) with random weights (speed does not depend on them), in eval mode. --precision bf16 converts the
weights to bfloat16 once (model.to(torch.bfloat16)); --quantize int8 applies PyTorch's dynamic quantization to the
Linear layers (torch.ao.quantization.quantize_dynamic: int8 weights, activations quantized per call), a different
method from ScratchGPT's; the tied head stays in the model's precision. Each new token is one step on the cache;
past the context the window is prefilled again, as ScratchGPT does.

It stays up after a warm-up and answers commands on stdin, one JSON line each: "generate N" generates N new
tokens from the prompt and returns the seconds it took (prefill included), so Python's start-up is never timed.

    printf 'generate 32\\nquit\\n' | python3 torch_generate_gpt.py --layers 4 --heads 4 --width 128 --context 64
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_eager_gpt import ATTENTION, Gpt


def block_step(block, x, cache):
    """One block on the new positions x (1, t, C), reading and extending its cache of keys and values."""
    attn = block.attn
    b, t, c = x.shape
    hs = c // attn.heads
    q, k, v = attn.qkv(block.ln1(x)).split(c, dim=2)
    q, k, v = (z.view(b, t, attn.heads, hs).transpose(1, 2) for z in (q, k, v))
    if cache:
        k = torch.cat([cache[0], k], dim=2)
        v = torch.cat([cache[1], v], dim=2)
    cache[:] = [k, v]
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(hs)
    if t > 1:  # prefill: position i of the new ones sees the past and the new ones up to i
        past = k.shape[2] - t
        mask = torch.ones(t, past + t, dtype=torch.bool).tril(diagonal=past)
        scores = scores.masked_fill(~mask, float("-inf"))
    y = F.softmax(scores, dim=-1) @ v
    x = x + attn.proj(y.transpose(1, 2).reshape(b, t, c))
    return x + block.out(F.gelu(block.fc(block.ln2(x))))


def next_logits(model, ids, start, caches):
    """The logits after the positions ids (1, t), which start at `start` in the window."""
    t = ids.shape[1]
    x = model.tokens(ids) + model.positions(torch.arange(start, start + t))
    for block, cache in zip(model.blocks, caches):
        x = block_step(block, x, cache)
    return model.ln(x[:, -1]) @ model.tokens.weight.t()


def generate(model, prompt, new_tokens, context):
    ids = list(prompt)
    caches = [[] for _ in model.blocks]
    logits = next_logits(model, torch.tensor([ids]), 0, caches)
    for i in range(new_tokens):
        ids.append(int(torch.argmax(logits, dim=-1)))
        if i == new_tokens - 1:
            break
        if len(ids) > context:  # past the context: prefill the last window again
            caches = [[] for _ in model.blocks]
            logits = next_logits(model, torch.tensor([ids[-context:]]), 0, caches)
        else:
            logits = next_logits(model, torch.tensor([ids[-1:]]), len(ids) - 1, caches)
    return ids


def main():
    p = argparse.ArgumentParser()
    for name, default in [("layers", 4), ("heads", 4), ("width", 128), ("context", 64), ("vocab", 65),
                          ("prompt", 16), ("warmup", 8), ("threads", 0)]:
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--bias", action="store_true")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--quantize", choices=["none", "int8"], default="none")
    p.add_argument("--seed", type=int, default=1337)
    a = p.parse_args()
    a.dropout = 0.0
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Gpt(a).eval()
    if a.precision == "bf16":
        model = model.to(torch.bfloat16)  # the weights converted once, as the PyTorch bf16 row
    method = a.precision + " weights"
    if a.quantize == "int8":
        model = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        method = ("dynamic int8 quantization of the Linear layers (torch.ao quantize_dynamic, "
                  + torch.backends.quantized.engine + " engine), head in " + a.precision)
    prompt = torch.randint(a.vocab, (a.prompt,)).tolist()
    with torch.inference_mode():
        generate(model, prompt, a.warmup, a.context)
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "method": method,
                          "attention": ATTENTION}), flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if words[0] == "generate":
                start = time.perf_counter()
                generate(model, prompt, int(words[1]), a.context)
                print(json.dumps({"seconds": time.perf_counter() - start}), flush=True)
            else:
                print(json.dumps({"error": "unknown command " + words[0]}), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""An independent GPT-2 for checking ScratchGPT's import and export, in NumPy (in the spirit of picoGPT).

Written from HuggingFace's GPT-2 parameter names and the published formulas, not from ScratchGPT's code:
  - safetensors read and written by the format's specification: an 8-byte little-endian header length N,
    N bytes of JSON mapping each tensor name to {dtype, shape, data_offsets: [begin, end)} (offsets into the
    data after the header), then the raw little-endian data;
  - the forward pass of GPT2LMHeadModel in float64: token + position embeddings; per block
    x + attn(ln_1(x)), then x + mlp(ln_2(x)); ln_f; logits against wte (or lm_head when untied).
    Conv1D layers compute x @ W + b with W stored (in, out).

Commands (used by the Java tests):
  make DIR --layers L --heads H --width C --vocab V --context T [--seed S] [--layout original|save_pretrained]
       [--lm-head] [--buffers] [--dtype F32|F16|BF16] [--gelu gelu_new|gelu] [--untied] [--eps E] [--scale X]
      writes DIR/config.json and DIR/model.safetensors with random weights
  logits DIR ID [ID ...]
      prints the logits of the sequence, one line per position, as space-separated floats
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np

# ---------------------------------------------------------------- safetensors, by the specification

DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "F64": np.dtype("<f8")}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = body[begin:end]
        if entry["dtype"] == "BF16":
            # bfloat16 is the upper half of a float32
            values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view("<f4")
        else:
            values = np.frombuffer(raw, dtype=DTYPES[entry["dtype"]])
        tensors[name] = values.reshape(entry["shape"]).astype(np.float64)
    return tensors


def write_safetensors(path, tensors, dtype="F32"):
    header = {"__metadata__": {"format": "pt"}}
    chunks = []
    offset = 0
    for name, array in tensors.items():
        if dtype == "BF16":
            raw = (np.asarray(array, dtype="<f4").view("<u4") >> 16).astype("<u2").tobytes()  # truncation
        else:
            raw = np.asarray(array, dtype={"F32": "<f4", "F16": "<f2"}[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


# ---------------------------------------------------------------- the model

def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)  # biased, as torch.nn.LayerNorm
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu_new(x):  # GPT-2's tanh approximation
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def gelu_exact(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def forward(folder, ids):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    raw = read_safetensors(os.path.join(folder, "model.safetensors"))
    p = {name[len("transformer."):] if name.startswith("transformer.") else name: t for name, t in raw.items()}
    eps = config.get("layer_norm_epsilon", 1e-5)
    gelu = gelu_new if config.get("activation_function", "gelu_new") in ("gelu_new", "gelu_pytorch_tanh") else gelu_exact
    n_head = config["n_head"]
    T = len(ids)
    x = p["wte.weight"][ids] + p["wpe.weight"][:T]                        # (T, C)
    C = x.shape[1]
    hs = C // n_head
    causal = np.triu(np.ones((T, T), dtype=bool), k=1)                   # True above the diagonal: the future
    for i in range(config["n_layer"]):
        h = f"h.{i}."
        a = layer_norm(x, p[h + "ln_1.weight"], p[h + "ln_1.bias"], eps)
        qkv = a @ p[h + "attn.c_attn.weight"] + p[h + "attn.c_attn.bias"]  # Conv1D: (T, C) @ (C, 3C)
        q, k, v = np.split(qkv, 3, axis=-1)
        q, k, v = (m.reshape(T, n_head, hs).transpose(1, 0, 2) for m in (q, k, v))  # (nh, T, hs)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(hs)                  # (nh, T, T)
        scores = np.where(causal, -np.inf, scores)
        y = (softmax(scores) @ v).transpose(1, 0, 2).reshape(T, C)
        x = x + y @ p[h + "attn.c_proj.weight"] + p[h + "attn.c_proj.bias"]
        m = layer_norm(x, p[h + "ln_2.weight"], p[h + "ln_2.bias"], eps)
        m = gelu(m @ p[h + "mlp.c_fc.weight"] + p[h + "mlp.c_fc.bias"])   # (T, 4C)
        x = x + m @ p[h + "mlp.c_proj.weight"] + p[h + "mlp.c_proj.bias"]
    x = layer_norm(x, p["ln_f.weight"], p["ln_f.bias"], eps)
    tied = config.get("tie_word_embeddings", True)
    head = p["wte.weight"] if tied else p["lm_head.weight"]
    return x @ head.T                                                     # (T, V)


# ---------------------------------------------------------------- random GPT-2 folders

def make(args):
    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    C, V, T, L = args.width, args.vocab, args.context, args.layers

    def normal(*shape, scale=args.scale):
        return (rng.standard_normal(shape, dtype=np.float32) * np.float32(scale)).astype(np.float32)

    def near_one(n):
        return (1 + normal(n, scale=0.1)).astype(np.float32)

    t = {"wte.weight": normal(V, C), "wpe.weight": normal(T, C)}
    for i in range(L):
        h = f"h.{i}."
        t[h + "ln_1.weight"], t[h + "ln_1.bias"] = near_one(C), normal(C)
        if args.buffers:
            t[h + "attn.bias"] = np.tril(np.ones((T, T), dtype=np.float32)).reshape(1, 1, T, T)
            t[h + "attn.masked_bias"] = np.array(-1e4, dtype=np.float32)
        t[h + "attn.c_attn.weight"], t[h + "attn.c_attn.bias"] = normal(C, 3 * C), normal(3 * C)
        t[h + "attn.c_proj.weight"], t[h + "attn.c_proj.bias"] = normal(C, C), normal(C)
        t[h + "ln_2.weight"], t[h + "ln_2.bias"] = near_one(C), normal(C)
        t[h + "mlp.c_fc.weight"], t[h + "mlp.c_fc.bias"] = normal(C, 4 * C), normal(4 * C)
        t[h + "mlp.c_proj.weight"], t[h + "mlp.c_proj.bias"] = normal(4 * C, C), normal(C)
    t["ln_f.weight"], t["ln_f.bias"] = near_one(C), normal(C)
    if args.layout == "save_pretrained":
        t = {"transformer." + name: value for name, value in t.items()}
    if args.untied:
        t["lm_head.weight"] = normal(V, C)
    elif args.lm_head:
        t["lm_head.weight"] = t["transformer.wte.weight" if args.layout == "save_pretrained" else "wte.weight"]
    write_safetensors(os.path.join(args.dir, "model.safetensors"), t, args.dtype)
    config = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": V, "n_positions": T,
              "n_ctx": T, "n_embd": C, "n_layer": L, "n_head": args.heads, "n_inner": None,
              "activation_function": args.gelu, "layer_norm_epsilon": args.eps, "resid_pdrop": 0.1,
              "embd_pdrop": 0.1, "attn_pdrop": 0.1, "initializer_range": 0.02, "bos_token_id": V - 1,
              "eos_token_id": V - 1}
    if args.untied:
        config["tie_word_embeddings"] = False
    with open(os.path.join(args.dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir")
    for name in ("layers", "heads", "width", "vocab", "context"):
        m.add_argument("--" + name, type=int, required=True)
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--layout", choices=["original", "save_pretrained"], default="original")
    m.add_argument("--lm-head", action="store_true")
    m.add_argument("--untied", action="store_true")
    m.add_argument("--buffers", action="store_true")
    m.add_argument("--dtype", choices=["F32", "F16", "BF16"], default="F32")
    m.add_argument("--gelu", default="gelu_new")
    m.add_argument("--eps", type=float, default=1e-5)
    m.add_argument("--scale", type=float, default=0.2)
    lg = sub.add_parser("logits")
    lg.add_argument("dir")
    lg.add_argument("ids", type=int, nargs="+")
    args = parser.parse_args()
    if args.command == "make":
        make(args)
    else:
        for row in forward(args.dir, np.array(args.ids)):
            print(" ".join(repr(float(v)) for v in row))


if __name__ == "__main__":
    sys.exit(main())

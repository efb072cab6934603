#!/usr/bin/env node
// Trains HuggingFace's own byte-level BPE (the Rust `tokenizers` crate, through its official Node
// binding) so that ScratchGPT's tests can compare our trainer with it merge for merge.
//
// Usage:
//   node hf-train.js --pre gpt2|gpt4 --out tokenizer.json FILE...
//
// Prints one JSON line on stdout: {"train_ms":..., "vocab_size":..., "merges":...}.
// The Rust trainer may print blank lines of its own before it, so readers take the last line.
//
// What HuggingFace does here, and our trainer must do too to match it:
// - `Tokenizer.train(files)` takes no trainer settings. It uses BPE's default trainer:
//   vocab_size 30000, min_frequency 0, no special tokens, no initial alphabet (only the byte
//   characters that occur in the text).
// - Each file is read line by line and each line, KEEPING its "\n" (and any "\r" before it),
//   is one sequence for the pre-tokenizer. So no pre-token ever spans two lines.
'use strict'

const fs = require('fs')
const { performance } = require('perf_hooks')
const { Tokenizer } = require('tokenizers')

// GPT-2's split pattern is built into HF's ByteLevel pre-tokenizer (use_regex: true).
// GPT-4's (cl100k_base) is the pattern tiktoken published for it in January 2023.
const CL100K_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|" +
  " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

// The pre-tokenizers, written as HF's tokenizer.json describes them. We do not use the binding's
// `splitPreTokenizer(pattern, ...)`: it treats its pattern as a literal string, not a regex.
const PRE_TOKENIZERS = {
  gpt2: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  gpt4: {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: CL100K_PATTERN }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    ],
  },
}

/** An untrained tokenizer: empty BPE, the chosen pre-tokenizer, and a byte-level decoder. */
function untrainedTokenizer(preTokenizer) {
  const spec = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: {},
      merges: [],
    },
  }
  return Tokenizer.fromString(JSON.stringify(spec))
}

function parseArgs(argv) {
  const args = { pre: null, out: null, files: [] }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pre') args.pre = argv[++i]
    else if (argv[i] === '--out') args.out = argv[++i]
    else args.files.push(argv[i])
  }
  if (!(args.pre in PRE_TOKENIZERS) || !args.out || args.files.length === 0) {
    throw new Error('usage: node hf-train.js --pre gpt2|gpt4 --out tokenizer.json FILE...')
  }
  for (const file of args.files) {
    if (!fs.existsSync(file)) throw new Error('no such input file: ' + file)
  }
  return args
}

function main() {
  const args = parseArgs(process.argv.slice(2))
  const tokenizer = untrainedTokenizer(PRE_TOKENIZERS[args.pre])

  // Time the training alone: not node's start-up, not loading the binding, not saving.
  const start = performance.now()
  tokenizer.train(args.files)
  const trainMs = performance.now() - start

  tokenizer.save(args.out, true)
  const merges = JSON.parse(fs.readFileSync(args.out, 'utf8')).model.merges.length
  console.log(JSON.stringify({ train_ms: trainMs, vocab_size: tokenizer.getVocabSize(), merges }))
}

main()

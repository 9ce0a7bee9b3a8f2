"""Mistake 4: an image and a text are different kinds of data, so they are
generated differently.

An image is a fixed-shape array of real numbers in which nearby values mean
nearly the same color, so a little Gaussian noise gives a slightly grainy
version of the same image. A text is a variable-length sequence of integer
token ids. Ids are labels, not quantities: the numbering of the vocabulary is
arbitrary, so adding noise to ids gives numbers that are not tokens, and the
smallest possible change of an id gives different text.
"""

import numpy as np

from diffusion_vs_llms.forward import forward_diffuse
from diffusion_vs_llms.tokenizer import BPETokenizer

rng = np.random.default_rng(0)

# An image: a 64x64 RGB color gradient, values scaled to [-1, 1] as diffusion
# models expect
y, x = np.mgrid[0:64, 0:64] / 63
image = np.stack([x, y, 1 - x], axis=-1) * 2 - 1
assert (
    image.shape == (64, 64, 3)
    and image.size == 12288
    and image.dtype == np.float64
)

# A text: a sequence of token ids from a BPE tokenizer
corpus = (
    "the model predicts the next token. "
    "the model adds the token to the context. "
)
tokenizer = BPETokenizer.train(corpus * 3, num_merges=16)
sentence = "the model predicts the next token."
ids = np.array(tokenizer.encode(sentence))
# integers in one dimension; the length depends on the text
assert ids.dtype == np.int64 and ids.ndim == 1
assert len(ids) == 17 and len(tokenizer.vocabulary) == 34

# Noise is meaningful for the image: at alpha_bar = 0.99 every value moves by
# about 0.1 and the image survives
noisy_image = forward_diffuse(
    image, alpha_bar=0.99, noise=rng.standard_normal(image.shape)
)
# still a valid image
assert noisy_image.shape == image.shape
assert round(float(np.sqrt(np.mean((noisy_image - image) ** 2))), 2) == 0.10
# nearly the same picture
assert np.corrcoef(image.ravel(), noisy_image.ravel())[0, 1] > 0.98

# ... and meaningless for token ids: the results are not ids at all
noisy_ids = forward_diffuse(
    ids, alpha_bar=0.99, noise=rng.standard_normal(ids.shape)
)
# no entry is a whole number, so none is a token
assert not np.any(noisy_ids == np.round(noisy_ids))

# The smallest change of an id, +1 on every token, rewrites the text (+0.01 on
# every pixel value would only brighten the image invisibly)
shifted = tokenizer.decode(
    [(int(i) + 1) % len(tokenizer.vocabulary) for i in ids]
)
# from "the model predicts the next token."
assert shifted == "x the.exrshekdxt too tok. the a"
# neighboring ids, unrelated pieces of text
assert tokenizer.vocabulary[16:18] == ("t", "x")

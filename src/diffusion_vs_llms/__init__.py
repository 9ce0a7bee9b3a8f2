"""Numerics behind the *Diffusion Models vs LLMs* study guide.

Every formula on the site is computed by one function in this package:

- :mod:`.schedules`: DDPM noise schedules (``beta_t``, ``alpha_t``, ``alpha_bar_t``).
- :mod:`.forward`: the forward process ``q(x_t | x_0)``.
- :mod:`.reverse`: DDPM and DDIM reverse steps, samplers and classifier-free guidance.
- :mod:`.gaussian_mixture`: toy data whose exact denoiser is known in closed form.
- :mod:`.probability`: softmax with temperature and the chain rule of probability.
- :mod:`.attention`: scaled dot-product attention, the causal mask and a KV cache.
- :mod:`.losses`: cross-entropy and mean squared error.
- :mod:`.sampling`: greedy, temperature, top-k and top-p decoding and the
  autoregressive generation loop.
- :mod:`.tokenizer`: a tiny byte-pair-encoding tokenizer.
- :mod:`.bigram`: a count-based bigram language model.
- :mod:`.timing`: the arithmetic of generation time.

Bad input raises :class:`ValueError` naming the argument, the expected range
and the value received.
"""

__version__ = "0.1.0"

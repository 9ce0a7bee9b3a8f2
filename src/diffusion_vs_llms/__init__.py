"""Numerics behind the *Diffusion Models vs LLMs* study guide.

Every formula on the site is computed by one function in this package:

- :mod:`.schedules`: DDPM noise schedules (``beta_t``, ``alpha_t``, ``alpha_bar_t``).
- :mod:`.forward`: the forward process ``q(x_t | x_0)``.
- :mod:`.reverse`: DDPM and DDIM reverse steps, samplers and classifier-free guidance.
- :mod:`.gaussian_mixture`: toy data whose exact denoiser and score are known in closed form.
- :mod:`.flow_matching`: straight paths from data to noise (rectified flow) and Euler sampling.
- :mod:`.probability`: softmax with temperature and the chain rule of probability.
- :mod:`.attention`: scaled dot-product attention, the causal mask and a KV cache.
- :mod:`.losses`: cross-entropy and mean squared error.
- :mod:`.sampling`: greedy, temperature, top-k and top-p decoding and the
  autoregressive generation loop.
- :mod:`.tokenizer`: a tiny byte-pair-encoding tokenizer.
- :mod:`.quantize`: vector quantization, how an image becomes discrete tokens.
- :mod:`.preferences`: the Bradley-Terry model, DPO's loss and RLHF's optimum.
- :mod:`.evaluation`: the Fréchet distance behind FID.
- :mod:`.bigram`: a count-based bigram language model.
- :mod:`.timing`: the arithmetic of generation time.

- :mod:`.nn`: tiny numpy networks with hand-written gradients, for the notebooks.

Bad input (NaN or infinity, a wrong shape, a wrong dtype, a value out of range, an empty
array) raises :class:`ValueError` naming the argument as the caller wrote it, the expected
range and the value received; the shared checks are in :mod:`.validation`.
"""

__version__ = "0.1.0"

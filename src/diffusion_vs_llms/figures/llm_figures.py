"""Figures of the language-model chapter: temperature, a generation by the tiny language model, causal
attention, cross-entropy, KV-cache memory, speculative decoding."""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.figure import Figure

from ..attention import kv_cache_bytes, scaled_dot_product_attention
from ..probability import softmax
from ..sampling import TOP_P_TOLERANCE, Generation, expected_tokens_per_pass, generate, next_token_distribution
from ..tiny_lm import Corpus, TinyLM, load_corpus, train
from .registry import figure
from .style import Theme, new_figure

CONTEXT = "The cat sat on the"
"""The context of the temperature figure."""
CANDIDATES = ("mat", "sofa", "floor", "roof", "moon")
"""Candidate next tokens of the temperature figure."""
CANDIDATE_LOGITS = np.array([3.0, 2.0, 1.0, 0.5, -1.0])
"""Illustrative logits of the candidates (a real model scores its whole vocabulary)."""
TEMPERATURES = (0.5, 1.0, 2.0)
"""Temperatures compared in the temperature figure."""
TRUNCATIONS = ({}, {"top_k": 2}, {"top_p": 0.9})
"""What the temperature figure's second panel applies at temperature 1: nothing, top-k, top-p."""
SENTENCE = ("The", "model", "writes", "one", "token", "at", "a", "time")
"""Tokens of the attention figure."""
CROSS_ENTROPY_POINT = 0.3
"""The practice question's probability of the correct token."""
SECOND_POINT = 0.5
"""A second probability of the correct token marked in the cross-entropy figure."""

_TOP = [float(softmax(CANDIDATE_LOGITS, temperature).max()) for temperature in TEMPERATURES]
"""The top candidate's probability at each of :data:`TEMPERATURES`."""


def next_token_data() -> dict:
    """What the next-token explorable computes from: the context, the candidates and their logits,
    and top-p's tolerance, for ``next_token_distribution`` in the browser (javascripts/explorables.js,
    tested against :func:`~diffusion_vs_llms.sampling.next_token_distribution`)."""
    return {
        "context": CONTEXT,
        "candidates": list(CANDIDATES),
        "logits": [float(x) for x in CANDIDATE_LOGITS],
        "top_p_tolerance": TOP_P_TOLERANCE,
    }


def _truncation_label(option: dict) -> str:
    return "all kept" if not option else ", ".join(f"{k.replace('_', '-')} {v:g}" for k, v in option.items())


_KEPT = [int(np.count_nonzero(next_token_distribution(CANDIDATE_LOGITS, **option))) for option in TRUNCATIONS]
"""How many candidates each of :data:`TRUNCATIONS` keeps."""


@figure(
    "next-token-temperature",
    data=next_token_data,
    live_caption=(
        "Next-token probabilities for the context 'The cat sat on the' (illustrative logits $\\ell$), "
        "$\\operatorname{softmax}(\\ell / \\tau)$ at the temperature $\\tau$ you set: lower temperature "
        "sharpens the distribution, higher flattens it, and the ranking never changes; top-k and top-p cut "
        "the unlikely candidates and share their probability among the rest."
    ),
    alt=(
        "Two grouped bar charts of next-token probabilities after the context 'The cat sat on the' for five "
        "candidates: mat, sofa, floor, roof, moon. Left, by temperature: the top token 'mat' gets "
        f"{_TOP[0]:.2f} of the probability at temperature {TEMPERATURES[0]:g}, {_TOP[1]:.2f} at temperature "
        f"{TEMPERATURES[1]:g} and {_TOP[2]:.2f} at temperature {TEMPERATURES[2]:g}; as the temperature rises the "
        "other bars grow and even 'moon' gets a visible share. Right, at temperature 1: all five kept, then "
        f"top-k with k = {TRUNCATIONS[1]['top_k']} keeping {_KEPT[1]} and top-p with p = {TRUNCATIONS[2]['top_p']:g} "
        f"keeping {_KEPT[2]}; the cut candidates get 0 and the kept ones grow."
    ),
    caption=(
        "Next-token probabilities for the context 'The cat sat on the' (illustrative logits $\\ell$). Left: "
        "$\\operatorname{softmax}(\\ell / \\tau)$ at temperatures $\\tau$ = 0.5, 1 and 2; lower temperature "
        "sharpens the distribution, higher flattens it, and the ranking never changes. Right: at $\\tau = 1$, "
        "top-k and top-p cut the unlikely candidates and share their probability among the rest."
    ),
)
def next_token_temperature(theme: Theme) -> Figure:
    fig = new_figure(3.6)
    panels = fig.subplots(1, 2, sharey=True)
    x = np.arange(len(CANDIDATES))
    width = 0.27
    series = [
        ("temperature", [(f"τ = {t:g}", softmax(CANDIDATE_LOGITS, t)) for t in TEMPERATURES]),
        (
            "at τ = 1",
            [(_truncation_label(o), next_token_distribution(CANDIDATE_LOGITS, **o)) for o in TRUNCATIONS],
        ),
    ]
    for ax, (title, bars) in zip(panels, series, strict=True):
        for i, (label, probs) in enumerate(bars):
            ax.bar(x + (i - 1) * width, probs, width, label=label, color=theme.series[i])
        ax.set_xticks(x, [f"'{c}'" for c in CANDIDATES], rotation=45, ha="right")
        ax.set_ylim(0, 1)
        ax.grid(True, axis="y")
        ax.set_axisbelow(True)
        ax.legend(title=title, loc="upper right")
    panels[0].set_ylabel(f"P(next token | '{CONTEXT}')")
    return fig


GENERATION_PROMPT = "The model "
"""The prompt of the tiny language model's generation, as in its notebook."""
GENERATION_TOKENS = 24
"""Characters the generation explorable steps through."""
GENERATION_SEED = 3
GENERATION_TEMPERATURE = 0.5
"""The run's sampling: the seed and temperature of the notebook's first generation, which this one extends."""
GENERATION_PANELS = (1, 7, 14, 21)
"""Steps of the drawn figure: a word's first letter, a letter drawn from fourth place, a letter the model
is sure of, and an unlikely letter drawn."""
GENERATION_BARS = 5
"""Candidates per panel of the drawn figure (the explorable shows :data:`EXPLORABLE_BARS`)."""
EXPLORABLE_BARS = 8
TITLE_CHARACTERS = 10
"""The end of the context a panel's title shows."""


@functools.cache
def tiny_lm_generation() -> tuple[Corpus, TinyLM, Generation, np.ndarray]:
    """The tiny language model of the notebook (trained once per process, about ten seconds) and its
    generation from :data:`GENERATION_PROMPT`: the corpus, the model, the run and the logits at each step."""
    corpus = load_corpus()
    model = train(corpus)
    logits = []  # what the model gave at each step, kept as the run asks for it

    def next_logits(context: list[int]) -> np.ndarray:
        logits.append(model.next_logits(context))
        return logits[-1]

    run = generate(
        next_logits,
        corpus.encode(GENERATION_PROMPT),
        GENERATION_TOKENS,
        rng=np.random.default_rng(GENERATION_SEED),
        temperature=GENERATION_TEMPERATURE,
    )
    return corpus, model, run, np.array(logits)


def _shown(character: str) -> str:
    """A character as a bar's label: a space or a line break made visible."""
    return {" ": "␣", "\n": "↵"}.get(character, character)


def tiny_lm_data() -> dict:
    """What the generation explorable steps through: the vocabulary, the prompt, and at each step the
    logits of every character (rounded to 4 decimals) and the character the run drew; the browser turns
    the logits into probabilities as ``next_token_distribution`` does."""
    corpus, _, run, logits = tiny_lm_generation()
    return {
        "vocabulary": list(corpus.vocabulary),
        "prompt": GENERATION_PROMPT,
        "temperature": GENERATION_TEMPERATURE,
        "logits": np.round(logits, 4).tolist(),
        "drawn": run.new_tokens,
        "bars": EXPLORABLE_BARS,
        "top_p_tolerance": TOP_P_TOLERANCE,
    }


def _panel(step: int) -> tuple[str, np.ndarray, int]:
    """The context (text), the run's distribution and the drawn character's id at ``step`` (from 1)."""
    corpus, _, run, logits = tiny_lm_generation()
    probabilities = next_token_distribution(logits[step - 1], temperature=GENERATION_TEMPERATURE)
    return corpus.decode(run.contexts[step - 1]), probabilities, run.new_tokens[step - 1]


def _generation_words() -> dict[str, str]:
    """Numbers and text of the generation figure's alt text and caption, computed from the run."""
    corpus, _, run, _ = tiny_lm_generation()
    words = {"text": corpus.decode(run.tokens)}
    for step in GENERATION_PANELS:
        context, probabilities, drawn = _panel(step)
        top = int(np.argmax(probabilities))
        words[f"after {step}"] = context[-TITLE_CHARACTERS:]
        words[f"drawn {step}"] = _shown(corpus.vocabulary[drawn])
        words[f"p {step}"] = f"{probabilities[drawn]:.2f}"
        words[f"top {step}"] = _shown(corpus.vocabulary[top])
        words[f"p top {step}"] = f"{probabilities[top]:.2f}"
        words[f"rank {step}"] = str(int(np.sum(probabilities > probabilities[drawn])) + 1)
    return words


def _generation_alt() -> str:
    w = _generation_words()
    panels = "; ".join(
        f"step {s}, after '…{w[f'after {s}']}': most likely '{w[f'top {s}']}' ({w[f'p top {s}']}), drawn "
        f"'{w[f'drawn {s}']}' ({w[f'p {s}']}, rank {w[f'rank {s}']})"
        for s in GENERATION_PANELS
    )
    return (
        f"{len(GENERATION_PANELS)} horizontal bar charts, one per step of a generation by the tiny language "
        "model that wrote "
        f"'{w['text']}' from the prompt '{GENERATION_PROMPT}'. Each shows the {GENERATION_BARS} most likely next "
        f"characters at temperature {GENERATION_TEMPERATURE:g}, the drawn one in a second colour: {panels}."
    )


@figure(
    "tiny-lm-generation",
    data=tiny_lm_data,
    live_caption=(
        f"A generation by the tiny language model of the notebook, trained on this guide's prose, from the "
        f"prompt '{GENERATION_PROMPT}' ({GENERATION_TOKENS} characters, sampled at temperature "
        f"$\\tau = {GENERATION_TEMPERATURE:g}$): step through it to see, for each context, the model's most "
        "likely next characters and the one the run drew; the temperature, top-k and top-p sliders redraw the "
        "distribution the sampler would draw from at that step."
    ),
    alt=_generation_alt,
    caption=(
        f"Steps {', '.join(map(str, GENERATION_PANELS[:-1]))} and {GENERATION_PANELS[-1]} of a generation by the "
        "tiny language model of the notebook, from the prompt "
        f"'{GENERATION_PROMPT}' at temperature $\\tau = {GENERATION_TEMPERATURE:g}$: the "
        f"{GENERATION_BARS} most likely next characters after each context, and the one the run drew. At the "
        "start of a word the model is unsure; inside a word it is nearly certain; sampling sometimes draws a "
        "character that is not the most likely."
    ),
)
def tiny_lm_generation_figure(theme: Theme) -> Figure:
    corpus = tiny_lm_generation()[0]
    fig = new_figure(4.4)
    panels = fig.subplots(2, 2, sharex=True)
    for ax, step in zip(panels.flat, GENERATION_PANELS, strict=True):
        context, probabilities, drawn = _panel(step)
        top = np.argsort(-probabilities, kind="stable")[:GENERATION_BARS]
        colours = [theme.series[1] if i == drawn else theme.series[0] for i in top]
        ax.barh(range(GENERATION_BARS), probabilities[top], color=colours)
        ax.set_yticks(range(GENERATION_BARS), [f"'{_shown(corpus.vocabulary[i])}'" for i in top])
        ax.invert_yaxis()
        ax.set_xlim(0, 1.55)  # room for "1.00 drawn" beside a full bar
        ax.set_xticks([0, 0.5, 1])
        ax.set_title(f"step {step}: '…{context[-TITLE_CHARACTERS:]}'", fontsize=11, loc="left")
        for row, i in enumerate(top):
            label = (f"{probabilities[i]:.2f}" if probabilities[i] >= 0.005 else "<0.01") + (
                " drawn" if i == drawn else ""
            )
            ax.annotate(label, (probabilities[i], row), xytext=(4, 0), textcoords="offset points", va="center")
        ax.grid(True, axis="x")
        ax.set_axisbelow(True)
    for ax in panels[1]:
        ax.set_xlabel("probability")
    return fig


def attention_weights(causal: bool = True) -> np.ndarray:
    """Attention weights, shape (8, 8), of seeded random queries and keys for :data:`SENTENCE`, with
    the causal mask (the figure) or without it (the explorable's other setting)."""
    rng = np.random.default_rng(3)
    d_k = 16
    embeddings = rng.standard_normal((len(SENTENCE), d_k))
    w_q, w_k = rng.standard_normal((2, d_k, d_k)) / np.sqrt(d_k)  # W_Q, W_K: Q = X W_Q, K = X W_K
    _, weights = scaled_dot_product_attention(embeddings @ w_q, embeddings @ w_k, embeddings, causal=causal)
    return weights


def attention_data() -> dict:
    """What the attention explorable shows: the tokens and each query's weights over the keys, with
    and without the causal mask."""
    return {
        "tokens": list(SENTENCE),
        "causal": attention_weights(causal=True).tolist(),
        "full": attention_weights(causal=False).tolist(),
    }


@figure(
    "causal-attention",
    data=attention_data,
    live_caption=(
        "Self-attention weights $\\operatorname{softmax}(QK^\\top / \\sqrt{d_k} + M)$ for one short sentence, "
        "with $Q = X W_Q$ and $K = X W_K$ from random projections ($d_k = 16$): pick a token to see how it "
        "weighs every token, with the causal mask $M$ or without. The weights of a row add up to 1; the mask "
        "sets every weight on a later token to 0, so position $i$ only sees tokens 1 to $i$."
    ),
    alt=(
        "Two 8 by 8 heatmaps of attention weights, in percent, for the tokens 'The model writes one token at a "
        "time'. Rows are queries, columns are keys. Left, with the causal mask: every cell above the diagonal is "
        "blank and marked as masked, because a token may not attend to later tokens; the first row puts all its "
        "weight on 'The'; lower rows spread their weight over the earlier tokens. Right, without the mask, from "
        "the same queries and keys: every row spreads its weight over all the tokens, earlier and later; only the "
        "last row, which has no later token, is the same as on the left."
    ),
    caption=(
        "Self-attention weights $\\operatorname{softmax}(QK^\\top / \\sqrt{d_k} + M)$, in percent, for one short "
        "sentence, with $Q = X W_Q$ and $K = X W_K$ from random projections ($d_k = 16$): with the causal mask "
        "$M$ (left) and without it (right). The weights of a row add up to 1; the mask sets every weight on a later "
        "token to 0, so position $i$ only sees tokens 1 to $i$."
    ),
)
def causal_attention(theme: Theme) -> Figure:
    n = len(SENTENCE)
    masked = np.triu(np.ones((n, n), dtype=bool), k=1)
    fig = new_figure(3.3)
    panels = fig.subplots(1, 2, sharey=True)
    for ax, causal in zip(panels, (True, False), strict=True):
        weights = attention_weights(causal=causal)
        hidden = masked if causal else np.zeros_like(masked)
        ax.imshow(np.ma.masked_where(hidden, weights), cmap="viridis", vmin=0, vmax=1)
        for i, j in zip(*np.nonzero(hidden), strict=True):
            ax.text(j, i, "×", ha="center", va="center", color=theme.grid)
        for i, j in zip(*np.nonzero(~hidden), strict=True):
            value = weights[i, j]
            shown = f"{100 * value:.0f}"  # percent: up to three digits fit a cell at 11 pt
            ax.text(j, i, shown, ha="center", va="center", color="#000000" if value > 0.55 else "#ffffff")
        ax.set_title("with the causal mask" if causal else "without it", fontsize=11)
        ax.set_xticks(range(n), SENTENCE, rotation=60, ha="right")
        ax.set_xlabel("key")
        for spine in ax.spines.values():
            spine.set_visible(False)
    panels[0].set_yticks(range(n), SENTENCE)
    panels[0].set_ylabel("query")
    return fig


@figure(
    "cross-entropy-curve",
    alt=(
        "A curve of the loss, minus the natural log of p, against p, the probability given to the correct token, "
        f"from 0 to 1. The loss is very large when p is near 0 and falls to 0 at p = 1. A marked point at "
        f"p = {CROSS_ENTROPY_POINT:g} shows the loss {-np.log(CROSS_ENTROPY_POINT):.3f} nats from the practice "
        f"question; a second mark at p = {SECOND_POINT:g} shows {-np.log(SECOND_POINT):.3f}."
    ),
    caption=(
        "Cross-entropy of one token, $L = -\\ln p_y$, against the probability $p_y$ the model gave the correct "
        f"token $y$. The practice question's $p_y = {CROSS_ENTROPY_POINT:g}$ gives "
        f"$L = \\ln(1/{CROSS_ENTROPY_POINT:g}) \\approx {-np.log(CROSS_ENTROPY_POINT):.3f}$ nats; a confident "
        "correct prediction costs almost nothing, a confident wrong one costs a lot."
    ),
)
def cross_entropy_curve(theme: Theme) -> Figure:
    fig = new_figure(3.4)
    ax = fig.subplots()
    p = np.linspace(0.005, 1.0, 400)  # p_y: probabilities of the correct token y
    ax.plot(p, -np.log(p), color=theme.series[0], label=r"$L = -\ln p_y$")
    for point, colour in ((CROSS_ENTROPY_POINT, theme.series[1]), (SECOND_POINT, theme.series[2])):
        loss = -np.log(point)
        ax.plot([point, point], [0, loss], ":", color=colour, lw=1.5)
        ax.plot([0, point], [loss, loss], ":", color=colour, lw=1.5)
        ax.plot(point, loss, "o", color=colour, ms=7)
        ax.annotate(
            f"$p_y$ = {point:g}, L = {loss:.3f}",
            (point, loss),
            xytext=(10, 8),
            textcoords="offset points",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": theme.surface, "edgecolor": "none"},  # over the grid
        )
    ax.set_xlim(0, 1.0)
    ax.set_ylim(0, 5)
    ax.set_xlabel(r"probability of the correct token, $p_y$")
    ax.set_ylabel("loss (nats)")
    ax.grid(True)
    ax.set_axisbelow(True)
    ax.legend(loc="upper right")
    return fig


MISTRAL_7B = {"layers": 32, "query_heads": 32, "kv_heads": 8, "head_dim": 128, "context": 8192}
"""The shape of the Mistral model (Jiang et al., 2023, Table 1): grouped-query attention, 8 key/value
heads for 32 query heads, an 8,192-token context."""
KV_HEADS = (32, 8, 1)
"""Key/value heads compared in the KV-cache figure: multi-head, Mistral's groups, multi-query."""
GIB = 2**30
_CONTEXT = MISTRAL_7B["context"]


def _cache_gib(kv_heads: int, tokens: int) -> float:
    shape = MISTRAL_7B
    return kv_cache_bytes(shape["layers"], kv_heads, shape["head_dim"], tokens) / GIB


@figure(
    "kv-cache-memory",
    alt=(
        "Three straight lines of KV-cache memory in GiB against the context length in tokens, from 0 to "
        f"{2 * _CONTEXT:,}, for a model of Mistral's shape at 16 bits per number. With 32 key/value "
        f"heads (multi-head attention) the cache reaches {_cache_gib(32, _CONTEXT):g} GiB at {_CONTEXT:,} tokens; "
        f"with Mistral's 8 (grouped-query attention) {_cache_gib(8, _CONTEXT):g} GiB; with 1 (multi-query "
        f"attention) {_cache_gib(1, _CONTEXT):g} GiB."
    ),
    caption=(
        "KV-cache memory of one sequence for a model of Mistral's shape (32 layers, 32 query heads of "
        "width 128, 16-bit numbers; Jiang et al., 2023): $2 \\cdot N_\\text{layers} \\cdot h_\\text{kv} "
        "\\cdot d_k$ numbers per token for $h_\\text{kv}$ key/value heads. Sharing each key and value among "
        "a group of query heads divides the cache by the group size; a full cache grows with every token of "
        "the context."
    ),
)
def kv_cache_memory(theme: Theme) -> Figure:
    fig = new_figure(3.2)
    ax = fig.subplots()
    end = 2 * _CONTEXT
    names = {32: "32 (multi-head)", 8: "8 (grouped, as Mistral)", 1: "1 (multi-query)"}
    for i, kv_heads in enumerate(KV_HEADS):
        ax.plot([0, end], [0, _cache_gib(kv_heads, end)], color=theme.series[i], label=names[kv_heads])
    ax.axvline(_CONTEXT, color=theme.muted, ls=":", lw=1.2)
    label_at = (_CONTEXT, 0.75 * _cache_gib(32, _CONTEXT))  # above the lines, right of the dotted mark
    ax.annotate(f"{_CONTEXT:,} tokens", label_at, xytext=(4, 0), textcoords="offset points")
    ax.set_xlim(0, end)
    ax.set_ylim(0, _cache_gib(32, end) * 1.05)
    ticks = range(0, end + 1, 4096)
    ax.set_xticks(list(ticks), [f"{t:,}" for t in ticks])
    ax.set_xlabel("context length (tokens)")
    ax.set_ylabel("KV cache (GiB)")
    ax.grid(True)
    ax.set_axisbelow(True)
    ax.legend(title="key/value heads", loc="upper left")
    return fig


DRAFT_LENGTHS = (1, 2, 4, 8)
"""Drafted tokens per pass compared in the speculative-decoding figure."""
SPECULATIVE_P = softmax(np.array([3.0, 2.0, 1.0, 0.5, -1.0]))
"""The large model's next-token distribution in the chapter's speculative-decoding example."""
SPECULATIVE_Q = softmax(np.array([2.5, 2.5, 0.5, 0.5, 0.0]))
"""The draft model's guess of it."""
SPECULATIVE_ACCEPTANCE = float(np.minimum(SPECULATIVE_P, SPECULATIVE_Q).sum())
"""The chance that a drafted token is kept, sum of min(p, q): marked in the figure."""
_MARKED = expected_tokens_per_pass(SPECULATIVE_ACCEPTANCE, 4)


@figure(
    "speculative-acceptance",
    alt=(
        "Four rising curves of the expected tokens per pass of the large model against the acceptance rate, from "
        f"0 to 1, for {', '.join(str(g) for g in DRAFT_LENGTHS[:-1])} and {DRAFT_LENGTHS[-1]} drafted tokens. All "
        "start at 1 token when no draft is accepted; each ends at one more than its number of drafted tokens. "
        f"A marked point at acceptance {SPECULATIVE_ACCEPTANCE:.3f} with 4 drafted tokens shows {_MARKED:.2f} tokens "
        "per pass."
    ),
    caption=(
        "Speculative decoding: expected tokens per pass of the large model, "
        "$(1 - p_\\text{accept}^{N_\\text{draft}+1}) / (1 - p_\\text{accept})$ for $N_\\text{draft}$ drafted "
        "tokens each kept with probability $p_\\text{accept}$ (Leviathan et al., 2023). The mark is the "
        f"chapter's example, $p_\\text{{accept}} = {SPECULATIVE_ACCEPTANCE:.3f}$ with $N_\\text{{draft}} = 4$: "
        f"{_MARKED:.2f} tokens per pass. More drafted tokens pay off only when the draft is usually right."
    ),
)
def speculative_acceptance(theme: Theme) -> Figure:
    fig = new_figure(3.2)
    ax = fig.subplots()
    a = np.linspace(0.0, 1.0, 201)
    for i, g in enumerate(DRAFT_LENGTHS):
        ax.plot(a, [expected_tokens_per_pass(x, g) for x in a], color=theme.series[i], label=f"{g}")
    ax.plot(SPECULATIVE_ACCEPTANCE, _MARKED, "o", color=theme.series[2], ms=7)
    ax.annotate(f"{_MARKED:.2f}", (SPECULATIVE_ACCEPTANCE, _MARKED), xytext=(-34, 6), textcoords="offset points")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, DRAFT_LENGTHS[-1] + 1.5)
    ax.set_xlabel("acceptance rate, $p_\\mathrm{accept}$")
    ax.set_ylabel("tokens per large-model pass")
    ax.grid(True)
    ax.set_axisbelow(True)
    ax.legend(title="drafted tokens", loc="upper left")
    return fig

"""Diagrams of the networks: the U-Net of a diffusion model, a transformer block, DiT's patches."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from .registry import figure
from .style import WIDTH, Theme, new_figure

UNET_LEVELS = ("H × W", "H/2 × W/2", "H/4 × W/4", "H/8 × W/8")
"""Resolutions of the U-Net diagram, top to bottom: each stage halves the side."""
ATTENTION_LEVEL = 2
"""The level (index into UNET_LEVELS) with self-attention: a middle resolution, as in DDPM, whose U-Nets
attend at 16 x 16 (H/2 of its 32 x 32 CIFAR-10 model, H/16 of its 256 x 256 ones)."""
LATENT_SIDE = 8
"""Side of the latent in the patch diagram (a real DiT latent is 32 x 32; 8 x 8 keeps the cells visible)."""
PATCH = 2
"""Patch side in the patch diagram."""


def _diagram(height: float) -> tuple[Figure, Axes]:
    """A figure with one axes in inches as data units, no frame: for drawing boxes and arrows."""
    fig = new_figure(height)
    fig.set_layout_engine("none")  # one axes filling the figure: nothing to lay out
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, fig.get_figwidth())
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def _box(ax: Axes, x: float, y: float, w: float, h: float, text: str, colour: str, theme: Theme) -> None:
    """A rounded box with its lower-left corner at (x, y) and ``text`` centred in it."""
    ax.add_patch(
        FancyBboxPatch(
            (x, y), w, h, boxstyle="round,pad=0,rounding_size=0.08", facecolor="none", edgecolor=colour, lw=1.6
        )
    )
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", color=theme.foreground)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], colour: str, style: str = "-") -> None:
    ax.annotate(
        "", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.4, "linestyle": style}
    )


@figure(
    "u-net",
    alt=(
        f"A U-shaped diagram of a U-Net with {len(UNET_LEVELS)} resolutions. On the left, the encoder goes down "
        "from the noisy input x_t at H by W through H/2 by W/2 and H/4 by W/4 to the bottleneck at H/8 by W/8, each "
        "stage halving the side; on the right, the decoder climbs back up to H by W and outputs the noise estimate. "
        "Dashed skip connections cross from each encoder stage to the decoder stage of the same resolution. The "
        "H/4 by W/4 stages also have self-attention, and a note says that every block also receives the embedding "
        "of the timestep t."
    ),
    caption=(
        "A U-Net as used for denoising: the encoder halves the resolution stage by stage, the decoder doubles it "
        "back, and skip connections hand each decoder stage the encoder's features of the same resolution. "
        "DDPM's network adds self-attention at one middle resolution and the timestep embedding in every block "
        "(Ronneberger et al., 2015; Ho et al., 2020)."
    ),
)
def u_net(theme: Theme) -> Figure:
    fig, ax = _diagram(3.9)
    encoder, decoder, muted = theme.series[0], theme.series[1], theme.muted
    width, height, left, right = 1.45, 0.46, 0.15, WIDTH - 0.15 - 1.45
    levels = len(UNET_LEVELS)
    tops = [3.05 - 0.78 * level for level in range(levels - 1)]
    for level, (name, y) in enumerate(zip(UNET_LEVELS[:-1], tops, strict=True)):
        label = name + ("\n+ attention" if level == ATTENTION_LEVEL else "")
        h = height * (1.6 if level == ATTENTION_LEVEL else 1)
        _box(ax, left, y - h / 2, width, h, label, encoder, theme)
        _box(ax, right, y - h / 2, width, h, label, decoder, theme)
        _arrow(ax, (left + width, y), (right, y), muted, style="--")
        if level:
            _arrow(ax, (left + width / 2, tops[level - 1] - height / 2), (left + width / 2, y + h / 2), encoder)
            _arrow(ax, (right + width / 2, y + h / 2), (right + width / 2, tops[level - 1] - height / 2), decoder)
    ax.text(WIDTH / 2, tops[0] + 0.08, "skip", ha="center", va="bottom", color=theme.muted)
    bottom = tops[-1] - 0.78
    _box(ax, WIDTH / 2 - width / 2, bottom - height / 2, width, height, UNET_LEVELS[-1], theme.foreground, theme)
    last = tops[-1] - height * 1.6 / 2
    _arrow(ax, (left + width / 2, last), (WIDTH / 2 - width / 2, bottom), encoder)
    _arrow(ax, (WIDTH / 2 + width / 2, bottom), (right + width / 2, last), decoder)
    ax.text(left, 3.75, "noisy input $x_t$", va="top")
    ax.text(right + width, 3.75, r"noise estimate $\epsilon_\theta$", va="top", ha="right")
    _arrow(ax, (left + width / 2, 3.45), (left + width / 2, tops[0] + height / 2), encoder)
    _arrow(ax, (right + width / 2, tops[0] + height / 2), (right + width / 2, 3.45), decoder)
    ax.text(0.15, 0.12, "every block also receives the embedding of $t$", color=theme.muted)
    return fig


@figure(
    "transformer-block",
    alt=(
        "A vertical diagram of one pre-norm transformer block, read from the bottom. The token vectors enter at "
        "the bottom, go through layer normalization and masked self-attention, and the result is added back to "
        "the input at a plus sign (a residual connection drawn as a line around the attention). The sum goes "
        "through a second layer normalization and a feed-forward network (MLP), added back again by a second "
        "residual connection. The output leaves at the top, to the next of many identical blocks."
    ),
    caption=(
        "One transformer block of a GPT-style language model, with the normalization before each sub-layer as "
        "in GPT-2 (Vaswani et al., 2017; Radford et al., 2019). Attention mixes information between positions "
        "(masked so that no position sees a later one); the MLP transforms each position on its own; each "
        "residual connection adds the sub-layer's output to its input. A model stacks $N_\\text{layers}$ such blocks."
    ),
)
def transformer_block(theme: Theme) -> Figure:
    fig, ax = _diagram(4.6)
    x, w, h, line = 1.3, 2.2, 0.42, theme.series[0]
    stages = [
        (0.95, "layer norm"),
        (1.55, "masked self-attention"),
        (2.55, "layer norm"),
        (3.15, "MLP (feed-forward)"),
    ]
    for y, name in stages:
        _box(ax, x, y, w, h, name, line if "norm" not in name else theme.muted, theme)
    centre = x + w / 2
    adds = (2.2, 3.8)
    for y in adds:
        ax.add_patch(Circle((centre, y), 0.13, facecolor="none", edgecolor=theme.foreground, lw=1.4))
        ax.text(centre, y, "+", ha="center", va="center_baseline")
    _arrow(ax, (centre, 0.35), (centre, stages[0][0]), theme.foreground)
    _arrow(ax, (centre, stages[0][0] + h), (centre, stages[1][0]), theme.foreground)
    _arrow(ax, (centre, stages[1][0] + h), (centre, adds[0] - 0.13), theme.foreground)
    _arrow(ax, (centre, adds[0] + 0.13), (centre, stages[2][0]), theme.foreground)
    _arrow(ax, (centre, stages[2][0] + h), (centre, stages[3][0]), theme.foreground)
    _arrow(ax, (centre, stages[3][0] + h), (centre, adds[1] - 0.13), theme.foreground)
    _arrow(ax, (centre, adds[1] + 0.13), (centre, 4.3), theme.foreground)
    for start, add in ((0.7, adds[0]), (adds[0] + 0.3, adds[1])):
        ax.plot([centre, 0.75, 0.75], [start, start, add], color=theme.series[1], lw=1.4)
        _arrow(ax, (0.75, add), (centre - 0.13, add), theme.series[1])
    ax.text(0.7, 3.0, "residual", rotation=90, ha="right", va="center", color=theme.series[1])
    ax.text(centre, 0.3, "token vectors (one per position)", ha="center", va="top")
    ax.text(centre, 4.35, "to the next block", ha="center", va="bottom")
    ax.add_patch(Rectangle((0.55, 0.6), 3.25, 3.5, facecolor="none", edgecolor=theme.grid, lw=1.2))
    ax.text(3.95, 2.35, r"× $N_\mathrm{layers}$", ha="left", va="center", fontsize=14)
    return fig


@figure(
    "dit-patches",
    alt=(
        f"Left: a {LATENT_SIDE} by {LATENT_SIDE} grid of latent cells, divided by thick lines into "
        f"{(LATENT_SIDE // PATCH) ** 2} patches of {PATCH} by {PATCH} cells, numbered 1 to "
        f"{(LATENT_SIDE // PATCH) ** 2} in reading order. Right: the same patches as a sequence of "
        f"{(LATENT_SIDE // PATCH) ** 2} tokens in two rows, each a box with its number, which the transformer "
        "blocks read like the tokens of a sentence."
    ),
    caption=(
        f"Patchify in a diffusion transformer: a {LATENT_SIDE} × {LATENT_SIDE} latent cut into "
        f"$p_\\text{{patch}} \\times p_\\text{{patch}}$ patches with $p_\\text{{patch}} = {PATCH}$ gives "
        f"$({LATENT_SIDE}/{PATCH})^2 = {(LATENT_SIDE // PATCH) ** 2}$ tokens; each patch, flattened and linearly "
        "embedded, is one token (Peebles and Xie, 2023). A final linear layer turns each token back into a patch."
    ),
)
def dit_patches(theme: Theme) -> Figure:
    fig, ax = _diagram(2.5)
    cell, origin = 0.25, (0.15, 0.2)
    per_side = LATENT_SIDE // PATCH
    for i in range(LATENT_SIDE + 1):
        thick = i % PATCH == 0
        colour, lw = (theme.foreground, 1.8) if thick else (theme.grid, 0.8)
        ax.plot([origin[0], origin[0] + LATENT_SIDE * cell], [origin[1] + i * cell] * 2, color=colour, lw=lw)
        ax.plot([origin[0] + i * cell] * 2, [origin[1], origin[1] + LATENT_SIDE * cell], color=colour, lw=lw)
    for number in range(per_side * per_side):
        row, col = divmod(number, per_side)
        centre = (origin[0] + (col + 0.5) * PATCH * cell, origin[1] + (per_side - row - 0.5) * PATCH * cell)
        ax.text(
            *centre,
            str(number + 1),
            ha="center",
            va="center",
            color=theme.series[0],
            # wide enough to hide the lines of the cells that meet at the patch's centre
            bbox={"boxstyle": "round,pad=0.35", "facecolor": theme.surface, "edgecolor": "none"},
        )
    _arrow(ax, (2.3, 1.2), (2.65, 1.2), theme.foreground)
    size, per_row = 0.25, per_side * per_side // 2
    for number in range(per_side * per_side):
        row, col = divmod(number, per_row)
        x, y = 2.75 + col * size, 1.35 - row * (size + 0.15)
        ax.add_patch(Rectangle((x, y), size, size, facecolor="none", edgecolor=theme.series[0], lw=1.2))
        ax.text(x + size / 2, y + size / 2, str(number + 1), ha="center", va="center")
    ax.text(2.75, 1.75, f"{per_side * per_side} tokens", va="bottom")
    return fig

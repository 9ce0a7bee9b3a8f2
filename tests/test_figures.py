"""Figures: drawn deterministically from code, valid, small, described, and built into the site."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.exceptions import PluginError
from PIL import Image

from diffusion_vs_llms.figures import REGISTRY, figure
from diffusion_vs_llms.figures import architecture_figures as arch
from diffusion_vs_llms.figures import comparison_figures as comparison
from diffusion_vs_llms.figures import diffusion_figures as diffusion
from diffusion_vs_llms.figures import flow_figures as flow
from diffusion_vs_llms.figures import llm_figures as llm
from diffusion_vs_llms.figures.registry import MAX_BYTES, FigureSpec
from diffusion_vs_llms.figures.style import LIGHT, SMALLEST_TEXT, WIDTH, new_figure
from diffusion_vs_llms.probability import softmax
from diffusion_vs_llms.reverse import ddim_timesteps, sample_ddim, sample_ddpm
from diffusion_vs_llms.sampling import expected_tokens_per_pass, next_token_distribution
from diffusion_vs_llms.schedules import cosine_schedule, linear_schedule
from diffusion_vs_llms.timing import diffusion_image_time, llm_generation_time, sequential_time
from guide_build import figures, plain_text
from guide_build.mkdocs import nav_pages, page_url
from tests.helpers import load_hook
from tests.markdown_blocks import ROOT

REQUIRED = {
    "pixels-and-tokens",
    "u-net",
    "transformer-block",
    "dit-patches",
    "noise-schedules",
    "forward-process-photo",
    "reverse-process-2d",
    "next-token-temperature",
    "causal-attention",
    "cross-entropy-curve",
    "generation-timeline",
    "generation-side-by-side",
}


def draw(cache: Path, package: Path = figures.PACKAGE) -> figures.Drawing:
    """The figures of ``package`` with ``cache`` as the build cache, after drawing them if it lacks them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GUIDE_CACHE", str(cache))
        drawing = figures.Drawing(package)
        drawing.figures = {figure["name"]: figure for figure in drawing.result()}
    return drawing


def images(drawing: figures.Drawing) -> dict[tuple[str, str], bytes]:
    return {(name, s): p.read_bytes() for name, f in drawing.figures.items() for s, p in f["paths"].items()}


@pytest.fixture(scope="module")
def cold_run(cold_figures: Path) -> figures.Drawing:
    """All figures, drawn from scratch into an empty cache (conftest.py: ``cold_figures``). That two
    such runs give the same bytes is checked with the whole site (test_lint.py: a clean build gives
    the same bytes)."""
    return draw(cold_figures)


def test_the_required_figures_are_registered():
    assert set(REGISTRY) >= REQUIRED


def test_a_cold_run_draws_every_figure(cold_run):
    assert sorted(cold_run.figures) == sorted(REGISTRY)
    assert [p.name for p in cold_run.folder.parent.iterdir()] == [cold_run.folder.name]


def test_a_warm_run_draws_nothing(cold_run):
    cache = cold_run.folder.parents[1]
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
    again = draw(cache)
    assert again.process is None
    assert again.figures == cold_run.figures
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*")} == before


@pytest.mark.build  # a test of the build's figure cache, not of the figures: not for `make check`
def test_editing_a_helper_shared_by_two_figure_modules_redraws_both(cold_run, tmp_path: Path):
    """``hopper`` in diffusion_figures.py is imported by comparison_figures.py: flipping its image in a
    copy of the package must change the figures of both modules that use the photo, and nothing else."""
    package = tmp_path / "diffusion_vs_llms"
    shutil.copytree(figures.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    assert figures.key(package) == figures.key()  # an unchanged copy reuses the figures already drawn
    cache = shutil.copytree(cold_run.folder.parents[1], tmp_path / "cache")
    helper = package / "figures" / "diffusion_figures.py"
    source = helper.read_text(encoding="utf-8")
    line = "    return np.asarray(image, dtype=float) / 127.5 - 1.0\n"
    assert source.count(line) == 1
    assert "import byte_codes, bytes_base64, hopper\n" in (package / "figures" / "comparison_figures.py").read_text()
    helper.write_text(source.replace(line, line.replace("dtype=float)", "dtype=float)[::-1]")), encoding="utf-8")
    edited = draw(cache, package)
    assert edited.process is not None
    before, after = images(cold_run), images(edited)
    changed = {name for name, scheme in before if before[name, scheme] != after[name, scheme]}
    assert changed == {"forward-process-photo", "generation-side-by-side", "pixels-and-tokens"}
    assert [p.name for p in (cache / "figures").iterdir()] == [edited.folder.name]  # the older figures are gone


def test_the_figures_key_on_the_package_data_too(tmp_path: Path):
    """The tiny language model's corpus is data of the package, not source: editing it redraws too."""
    package = shutil.copytree(
        figures.PACKAGE, tmp_path / "diffusion_vs_llms", ignore=shutil.ignore_patterns("__pycache__")
    )
    before = figures.key(package)
    corpus = package / "data" / "guide-prose.txt"
    corpus.write_text(corpus.read_text(encoding="utf-8") + " More prose.", encoding="utf-8")
    assert figures.key(package) != before


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_figure_is_a_valid_small_image_per_scheme(cold_run, name):
    manifest = cold_run.figures[name]
    light, dark = (manifest["paths"][s].read_bytes() for s in ("light", "dark"))
    for data in (light, dark):
        assert 1000 < len(data) <= MAX_BYTES
        if REGISTRY[name].format == "svg":
            root = ET.fromstring(data)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            assert b"<dc:date>" not in data  # no build date: reproducible
            for encoded in re.findall(rb"data:image/png;base64,([A-Za-z0-9+/=]+)", data):
                raster = Image.open(io.BytesIO(base64.b64decode(encoded)))
                assert raster.mode == "P", f"{name}: raster parts should be palette PNGs, got {raster.mode}"
        else:
            image = Image.open(io.BytesIO(data))
            image.verify()
            assert image.format == "WEBP"
    assert manifest["width"] > 300 and manifest["height"] > 100
    if name != "forward-process-photo":  # the photograph is the same in both schemes apart from its labels
        assert light != dark, f"{name}: the dark variant should use the dark scheme's colours"


def test_the_noise_level_explorable_holds_the_photo_its_noise_seed_and_both_schedules(cold_run):
    """forward-process-photo is explorable: its data file holds the photograph as 8-bit codes that
    decode to what the package computes, the seed of the noise, and alpha_bar_t of both schedules."""
    manifest = cold_run.figures["forward-process-photo"]
    assert manifest["data"] == "figures/forward-process-photo.json"
    data = json.loads(manifest["paths"]["data"].read_text(encoding="utf-8"))
    size = data["size"]
    x0 = diffusion.hopper(size)
    codes = np.frombuffer(base64.b64decode(data["x0"]), dtype=np.uint8).reshape(size, size, 3)
    assert np.abs(diffusion.decode_bytes(codes, 1.0) - x0).max() <= 0.5 / 127.5
    assert data["noise_seed"] == diffusion.NOISE_SEED
    for schedule in (linear_schedule(), cosine_schedule()):
        np.testing.assert_allclose(data["schedules"][schedule.name], schedule.alpha_bars, rtol=5e-6, atol=0)


def test_the_generation_explorable_holds_the_tiny_models_run(cold_run, tiny_lm_generation):
    """tiny-lm-generation is explorable: its data file holds the vocabulary of the corpus, the prompt, the
    characters the run drew and every step's logits, as the package's model gives them, trained here."""
    data = json.loads(cold_run.figures["tiny-lm-generation"]["paths"]["data"].read_text(encoding="utf-8"))
    corpus, model, run, _ = tiny_lm_generation
    assert data["vocabulary"] == list(corpus.vocabulary) == sorted(set(corpus.text))
    assert data["prompt"] == llm.GENERATION_PROMPT and data["temperature"] == llm.GENERATION_TEMPERATURE
    assert data["drawn"] == run.new_tokens and len(data["drawn"]) == llm.GENERATION_TOKENS
    for step, context in enumerate(run.contexts):
        assert context == corpus.encode(llm.GENERATION_PROMPT) + data["drawn"][:step]
        np.testing.assert_allclose(data["logits"][step], model.next_logits(context), rtol=0, atol=5e-5 + 1e-9)


def test_the_denoising_explorable_holds_the_package_runs(cold_run):
    """reverse-process-2d is explorable: its data file holds a DDPM and a DDIM run of the package's
    samplers from the same noise, whose frames decode to the trajectories within half a code step,
    with the evaluations so far and each step's prediction x0_hat."""
    manifest = cold_run.figures["reverse-process-2d"]
    data = json.loads(manifest["paths"]["data"].read_text(encoding="utf-8"))
    assert data == diffusion.denoising_data()
    runs = {run["name"]: run["frames"] for run in data["runs"]}
    assert list(runs) == ["DDPM", "DDIM"], "DDPM comes first, the sampler of the section"
    mixture, schedule = diffusion.ring_mixture(), linear_schedule()

    def eps_model(x, t):
        return mixture.optimal_epsilon(x, schedule.alpha_bar(t))

    shape, step = (diffusion.DENOISING_POINTS, 2), diffusion.POINT_RANGE / 255
    ddpm = sample_ddpm(eps_model, shape, schedule, np.random.default_rng(0), keep_trajectory=True)
    ddim = sample_ddim(eps_model, shape, schedule, diffusion.DENOISING_DDIM_STEPS, np.random.default_rng(0), True)
    assert np.array_equal(ddpm.trajectory[0], ddim.trajectory[0]), "both runs start from the same noise"
    for run, trajectory, total in (("DDPM", ddpm.trajectory, 1000), ("DDIM", ddim.trajectory, 10)):
        frames = runs[run]
        assert [f["evaluations"] for f in frames][-1] == total and frames[0]["t"] == 1000 and frames[-1]["t"] == 0
        for frame in frames:
            x = trajectory[frame["evaluations"]]
            codes = np.frombuffer(base64.b64decode(frame["x"]), dtype=np.uint8)
            decoded = diffusion.decode_bytes(codes, diffusion.POINT_RANGE)
            inside = np.abs(x.ravel()) <= diffusion.POINT_RANGE
            assert np.abs(decoded - x.ravel())[inside].max() <= step + 1e-12
            assert frame["near"] == diffusion.near_a_blob(mixture, x)
    assert runs["DDIM"][1]["t"] == ddim_timesteps(1000, 10)[1]


def test_byte_codes_refuse_a_value_that_is_not_finite():
    with pytest.raises(ValueError, match="values must be finite, got inf"):
        diffusion.byte_codes(np.array([[0.5, np.inf]]), diffusion.POINT_RANGE)


@given(st.lists(st.floats(-10, 10), min_size=1, max_size=50), st.sampled_from([1.0, 3.5]))
def test_byte_codes_decode_to_the_clipped_values_within_half_a_step(values, limit):
    decoded = diffusion.decode_bytes(diffusion.byte_codes(np.array(values), limit), limit)
    assert np.abs(decoded - np.clip(values, -limit, limit)).max() <= limit / 255 + 1e-12


def _mulberry32(seed: int, count: int) -> list[float]:
    """mulberry32 as published (Tommy Ettinger), one number at a time, with Python's integers."""
    out, state = [], seed
    for _ in range(count):
        state = (state + 0x6D2B79F5) % 2**32
        t = ((state ^ (state >> 15)) * (state | 1)) % 2**32
        t ^= (t + ((t ^ (t >> 7)) * (t | 61)) % 2**32) % 2**32
        out.append((t ^ (t >> 14)) / 2**32)
    return out


@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_seeded_uniform_is_mulberry32_computed_all_at_once(seed, count):
    assert diffusion.seeded_uniform(count, seed).tolist() == _mulberry32(seed, count)


def test_seeded_normal_is_standard_normal_and_the_same_for_the_same_seed():
    noise = diffusion.seeded_normal(200_001, 3)  # an odd count: the last pair is cut
    assert noise.shape == (200_001,) and np.all(np.isfinite(noise))
    assert abs(noise.mean()) < 0.01 and abs(noise.std() - 1) < 0.01
    assert abs(np.mean(noise > 1.96) - 0.025) < 0.002  # the normal's upper 2.5 % tail
    assert np.array_equal(diffusion.seeded_normal(10, 3), noise[:10])
    assert not np.array_equal(diffusion.seeded_normal(10, 4), noise[:10])
    u = diffusion.seeded_uniform(2, 3)
    radius = np.sqrt(-2 * np.log(1 - u[0]))
    assert np.allclose(noise[:2], [radius * np.cos(2 * np.pi * u[1]), radius * np.sin(2 * np.pi * u[1])])


@pytest.mark.parametrize(
    ("count", "seed", "message"),
    [
        (0, 0, r"count must be >= 1, got 0"),
        (3, -1, r"seed must be in \[0, 4294967295\], got -1"),
        (3, 2**32, r"seed must be in \[0, 4294967295\], got 4294967296"),
        (3, 0.5, r"seed must be an integer, got"),
    ],
)
def test_seeded_noise_refuses_bad_input(count, seed, message):
    with pytest.raises(ValueError, match=message):
        diffusion.seeded_uniform(count, seed)
    with pytest.raises(ValueError, match=message):
        diffusion.seeded_normal(count, seed)


def test_registration_rejects_bad_input():
    with pytest.raises(ValueError, match=r"name must be kebab-case .*, got 'Bad_Name'"):
        figure("Bad_Name", alt="x" * 50, caption="c")
    with pytest.raises(ValueError, match=r"format must be one of \('svg', 'webp'\), got 'gif'"):
        figure("good-name", alt="x" * 50, caption="c", format="gif")
    with pytest.raises(ValueError, match="alt of figure 'good-name' must describe the image in at least 40"):
        figure("good-name", alt="a plot", caption="c")
    with pytest.raises(ValueError, match=r"figure 'good-name': an explorable .* needs a live_caption"):
        figure("good-name", alt="x" * 50, caption="c", data=dict)
    with pytest.raises(ValueError, match=r"figure 'good-name': an explorable .* no other figure has one"):
        figure("good-name", alt="x" * 50, caption="c", live_caption="c")
    with pytest.raises(ValueError, match="figure 'noise-schedules' is registered twice"):
        figure("noise-schedules", alt="x" * 50, caption="c")(lambda theme: None)
    written = FigureSpec(name="late-alt", format="svg", written_alt=lambda: "too short", caption="c", draw=print)
    with pytest.raises(ValueError, match="alt of figure 'late-alt' must describe the image in at least 40"):
        _ = written.alt  # an alt text written from the figure's data is checked when it is read


def test_a_figure_too_wide_or_with_small_text_is_refused():
    def draw(height: float, width: float = WIDTH, fontsize: float = SMALLEST_TEXT):
        def figure_function(theme):
            fig = new_figure(height)
            fig.set_figwidth(width)
            fig.subplots().set_title("panel", fontsize=fontsize)
            return fig

        return FigureSpec(name="test-figure", format="svg", written_alt="x" * 50, caption="c", draw=figure_function)

    assert draw(2.0).render(LIGHT).startswith(b"<?xml")
    with pytest.raises(ValueError, match=r"figure 'test-figure' is 9.6 in wide; draw it with new_figure\(height\)"):
        draw(2.0, width=9.6).render(LIGHT)
    with pytest.raises(ValueError, match=r"figure 'test-figure': text 'panel' is 10 pt, smaller than 11 pt"):
        draw(2.0, fontsize=10).render(LIGHT)


NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:\.\d+)?)")


def numbers_in(text: str) -> set[str]:
    """The numbers ``text`` states, written without thousands separators (8,192 is 8192)."""
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def justified_numbers() -> dict[str, set[str]]:
    """For every figure, the numbers its alt text and caption may state, each computed here."""
    linear, cosine = linear_schedule(), cosine_schedule()
    half = [str(int(np.argmax(s.alpha_bars < 0.5))) for s in (linear, cosine)]
    assert linear.alpha_bar(diffusion.NEAR_ZERO_STEP) < 0.05  # "near 0 by step 600"
    temperature_tops = {f"{softmax(llm.CANDIDATE_LOGITS, t).max():.2f}" for t in llm.TEMPERATURES}
    image = diffusion_image_time(comparison.DENOISING_STEPS, comparison.SECONDS_PER_STEP)
    answer = llm_generation_time(comparison.LLM_TOKENS, comparison.SECONDS_PER_TOKEN)
    first_token = llm_generation_time(1, comparison.SECONDS_PER_TOKEN)  # the prompt pass gives the first token
    assert np.isclose(first_token, comparison.SECONDS_PER_TOKEN)  # "shows its first token after 0.1 s"
    assert np.isclose(answer, comparison.LLM_TOKENS * comparison.SECONDS_PER_TOKEN)
    batch = sequential_time(comparison.IMAGES, image)
    side = int(np.sqrt(comparison.tiny_image_dataset().shape[1]))
    weights = llm.attention_weights()
    patches = (arch.LATENT_SIDE // arch.PATCH) ** 2
    token_ids = {str(i) for i in comparison.sentence_tokens()[1]}
    context = llm.MISTRAL_7B["context"]
    assert np.allclose(weights.sum(axis=1), 1) and np.allclose(np.triu(weights, 1), 0)
    flow_snr = flow.flow_log_snr((np.arange(linear.T) + 0.5) / linear.T)
    log_snr_shares = {
        f"{100 * flow.share_below(values):.0f}"
        for values in (np.log(linear.signal_to_noise_ratio()), np.log(cosine.signal_to_noise_ratio()), flow_snr)
    }
    return {
        "noise-schedules": {
            "0",
            "1",
            "1000",
            "0.5",
            f"{linear.beta(1):g}",
            f"{linear.beta(1000):g}",
            "2021",
            str(diffusion.NEAR_ZERO_STEP),
            *half,
        },
        "forward-process-photo": {str(t) for t in diffusion.FORWARD_TIMESTEPS} | {"1"},
        "reverse-process-2d": {
            str(n) for n in (*diffusion.REVERSE_SNAPSHOTS, *diffusion.PREDICTION_SNAPSHOTS, *diffusion.DDIM_SNAPSHOTS)
        }
        | {"0", "2", str(diffusion.DENOISING_POINTS), str(diffusion.DENOISING_DDIM_STEPS)},
        "next-token-temperature": {f"{t:g}" for t in llm.TEMPERATURES}
        | temperature_tops
        | {f"{v:g}" for option in llm.TRUNCATIONS for v in option.values()}
        | {str(np.count_nonzero(next_token_distribution(llm.CANDIDATE_LOGITS, **o))) for o in llm.TRUNCATIONS}
        | {"0"},
        "causal-attention": {str(len(llm.SENTENCE)), "16", "0", "1"},
        "cross-entropy-curve": {"0", "1", "0.3", "0.5", "10", "3", f"{-np.log(0.3):.3f}", f"{-np.log(0.5):.3f}"},
        "generation-timeline": {"0", "5", f"{image:g}", f"{answer:g}", f"{batch:g}", "50", "0.08", "12", "40", "0.1"},
        "generation-side-by-side": {str(side), str(comparison.SNAPSHOT_STEPS[-1])}
        | {f"{comparison.SECONDS_PER_STEP:g}", f"{comparison.SECONDS_PER_TOKEN:g}"},
        # the U-Net's levels and the halvings H/2, H/4, H/8; the papers' years
        "u-net": {str(len(arch.UNET_LEVELS))} | {str(2**k) for k in range(1, len(arch.UNET_LEVELS))} | {"2015", "2020"},
        "transformer-block": {"2", "2017", "2019"},  # GPT-2 and the papers' years
        # the image's side, the 3 x 3 crop, the range of the values, the ids of the tokens
        "pixels-and-tokens": {str(comparison.PIXELS_SIDE), "3", "1"} | token_ids,
        "dit-patches": {str(arch.LATENT_SIDE), str(arch.PATCH), str(patches), "1", "2", "2023"},  # "(8/2)^2"
        # the model's shape, the context and twice it, the cache of each key/value head count there, 16-bit
        "kv-cache-memory": {str(n) for n in (*llm.MISTRAL_7B.values(), *llm.KV_HEADS, 2 * context, 0, 2, 16, 2023)}
        | {f"{llm._cache_gib(heads, context):g}" for heads in llm.KV_HEADS},
        # the draft lengths, the acceptance of the chapter's example and its tokens per pass at g = 4, the ends
        # the band and the shares of steps below it; T
        "log-snr-schedules": {"0", "1", f"{flow.LOG_SNR_LIMIT:g}", "1000"} | log_snr_shares,
        # the paths, the 4 coarse steps, DDPM's steps and stride, the samples, the step counts named
        "flow-matching-paths": {str(n) for n in (flow.PATHS, flow.DDPM_PATHS, 4, 1000, flow.DDPM_STRIDE)},
        "flow-matching-steps": {str(flow.POINTS), str(flow.STEP_COUNTS[0]), str(flow.STEP_COUNTS[-1]), "2", "4"}
        | {"16", "1000"},
        "speculative-acceptance": {str(g) for g in llm.DRAFT_LENGTHS}
        | {f"{llm.SPECULATIVE_ACCEPTANCE:.3f}", f"{expected_tokens_per_pass(llm.SPECULATIVE_ACCEPTANCE, 4):.2f}"}
        | {"0", "1", "2023"},
    }


def generation_numbers(generation) -> set[str]:
    """The numbers the tiny language model's generation figure may state: the steps shown, the number of
    bars, the temperature, and at each step the likeliest and the drawn character's probability and the
    drawn one's rank, computed here from the model's logits (``generation``: the conftest fixture)."""
    corpus, model, run, _ = generation
    allowed = {str(s) for s in llm.GENERATION_PANELS} | {str(len(llm.GENERATION_PANELS)), str(llm.GENERATION_BARS)}
    allowed |= {f"{llm.GENERATION_TEMPERATURE:g}", str(llm.GENERATION_TOKENS)}
    for step in llm.GENERATION_PANELS:
        p = next_token_distribution(model.next_logits(run.contexts[step - 1]), temperature=llm.GENERATION_TEMPERATURE)
        drawn = run.new_tokens[step - 1]
        allowed |= {f"{p.max():.2f}", f"{p[drawn]:.2f}", str(int(np.sum(p > p[drawn])) + 1)}
    assert corpus.decode(run.tokens).startswith(llm.GENERATION_PROMPT)
    return allowed


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_numbers_in_alt_text_and_caption_come_from_the_code(name, request, monkeypatch):
    if name == "tiny-lm-generation":  # its texts call tiny_lm_generation(): trained once per test run
        generation = request.getfixturevalue("tiny_lm_generation")
        monkeypatch.setattr(llm, "tiny_lm_generation", lambda: generation)
    spec = REGISTRY[name]
    stated = numbers_in(" ".join((spec.alt, spec.caption, spec.live_caption)))
    allowed = generation_numbers(generation) if name == "tiny-lm-generation" else justified_numbers()[name]
    unexplained = stated - allowed
    assert not unexplained, f"{name}: numbers in alt text or captions not checked against the code: {unexplained}"


def test_side_by_side_text_is_what_the_alt_text_says():
    steps = comparison.text_steps()
    assert steps[0] == "the" and steps[-1] == "the model writes one token at"
    assert all(b.startswith(a + " ") for a, b in pairwise(steps))  # one token more per step
    assert f"'{steps[-1]}'" in REGISTRY["generation-side-by-side"].alt


def test_the_ring_has_eight_blobs_as_the_alt_text_says():
    assert len(diffusion.ring_mixture().weights) == 8
    assert "eight tight blobs" in REGISTRY["reverse-process-2d"].alt


def test_every_figure_is_on_a_page_with_alt_text_caption_and_both_schemes(site_dir, site_pages):
    """Numbered in the order of its page, and in a chapter that is a folder of sections, after the figures
    of the chapter's earlier sections."""
    nav = [(src, (ROOT / "docs" / src).read_text("utf-8") if src.endswith(".md") else "") for _, src in nav_pages()]
    first = {page_url(src) + "index.html": figures.first_number(src, nav) for src, _ in nav}
    shown = {}
    for page, text in site_pages.items():
        for number, match in enumerate(
            re.finditer(r'<figure class="guide-figure" id="figure-([a-z0-9-]+)"[^>]*>(.*?)</figure>', text, re.S),
            first.get(page, 1),
        ):
            shown[match[1]] = (page, match[2])
            assert f'<figcaption><span class="figure-number">Figure {number}.</span> ' in match[2], (page, number)
    assert set(shown) == set(REGISTRY), f"figures not shown on any page: {set(REGISTRY) - set(shown)}"
    assert (
        first["diffusion/sampling/index.html"] == 3
        and shown["reverse-process-2d"][0] == "diffusion/sampling/index.html"
    )
    for name, (page, body) in shown.items():
        spec = REGISTRY[name]
        images = re.findall(r'<img src="([^"]+)" alt="([^"]+)" width="\d+" height="\d+"', body)
        assert [src.rsplit("#", 1)[1] for src, _ in images] == ["only-light", "only-dark"], f"{page}: {name}"
        for src, alt in images:
            assert alt.startswith(spec.alt[:40]), f"{page}: {name} lacks its alt text"
            built = (site_dir / page).parent / src.split("#")[0]
            assert built.is_file(), f"{page}: {src} is not in the built site"
        assert "<figcaption>" in body, f"{page}: {name} has no caption"
        if "$" in spec.caption:
            assert 'class="katex"' in body, f"{page}: the math in the caption of {name} is not rendered"
        if spec.data is not None:  # an explorable: the drawing's caption, and the controls'
            drawn, _, live = body.partition('class="caption-drawn">')[2].partition('<span class="caption-live">')
            for shown_caption, written in ((drawn, spec.caption), (live, spec.live_caption)):
                words = re.findall(r"[A-Za-z]{4,}", re.sub(r"\$[^$]*\$", " ", written))  # the words outside math
                missing = [word for word in words if word not in plain_text(shown_caption)]
                assert not missing, f"{page}: a caption of {name} lacks {missing}"


def test_no_generated_image_is_committed():
    proc = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"git ls-files failed: {proc.stderr}")
    images = [f for f in proc.stdout.splitlines() if re.search(r"\.(svg|png|webp|jpe?g|gif|pdf)$", f, re.I)]
    assert not images, f"generated images are committed: {images}"


def test_a_page_that_writes_its_own_alt_text_fails_the_build(monkeypatch):
    """The hook stops the build with the page's name (PluginError: ``mkdocs build`` prints it and fails)."""
    hook = load_hook("figures")
    registered = {"alt": "a" * 50, "caption": "c", "width": 461, "height": 300}
    monkeypatch.setitem(hook._build, "figures", {"noise-schedules": {**registered, "files": {}}})
    monkeypatch.setitem(hook._build, "pages", [("index.md", "")])
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"), present_anchor_ids=set())
    with pytest.raises(
        PluginError, match=r"docs/index\.md: write !\[\]\(figures/noise-schedules\.svg\) without alt text"
    ):
        hook.on_page_content('<p><img alt="my own words" src="figures/noise-schedules.svg" /></p>', page, None, None)


def test_the_figures_of_a_chapter_folder_are_numbered_across_its_sections():
    pages = [
        ("a.md", "![](figures/x.svg)\n"),
        ("f/index.md", "![](../figures/y.svg)\n"),
        ("f/one.md", "Text.\n\n![](../figures/z.svg)\n\n![](../figures/w.webp)\n"),
        ("f/two.md", "![](../figures/v.svg)\n"),
        ("g/x.md", "![](../figures/u.svg)\n"),
    ]
    numbers = [figures.first_number(path, pages) for path, _ in pages]
    assert numbers == [1, 1, 2, 4, 1]  # g/ has no index.md: its page numbers its own figures
    html = figures.insert(
        '<p><img alt="" src="../figures/n.svg" /></p>',
        {"n": {"alt": "a" * 50, "caption": "c", "width": 461, "height": 300, "files": {"light": "figures/n.svg"}}},
        "p",
        4,
    )
    assert '<span class="figure-number">Figure 4.</span>' in html


def test_a_reference_to_a_figure_reads_its_number_on_the_page():
    def registered(name: str) -> dict:
        return {"alt": "a" * 50, "caption": "c", "width": 461, "height": 300, "files": {"light": f"figures/{name}.svg"}}

    page = (
        '<p>As <a href="#figure-second"></a> shows:</p>'
        '<p><img alt="" src="figures/first.svg" /></p><p><img alt="" src="figures/second.svg" /></p>'
    )
    html = figures.insert(page, {"first": registered("first"), "second": registered("second")}, "docs/page.md")
    assert '<p>As <a href="#figure-second">Figure 2</a> shows:</p>' in html
    assert figures.ids(html) == {"figure-first", "figure-second"}
    assert "data-tall" not in html  # 300 high for 461 wide: its caption prints under it
    tall = figures.insert('<p><img alt="" src="figures/t.svg" /></p>', {"t": {**registered("t"), "height": 346}}, "p")
    assert '<figure class="guide-figure" id="figure-t" data-tall>' in tall  # 346 >= 0.75 x 461
    with pytest.raises(ValueError, match=r"docs/page.md: \[\]\(#figure-third\) refers to no figure on this page"):
        figures.insert('<a href="#figure-third"></a>', {}, "docs/page.md")


def test_the_flow_figures_show_what_their_alt_texts_say():
    linear, cosine = linear_schedule(), cosine_schedule()
    middle = slice(50, 950)  # 5 % to 95 % of the way, away from the ends where both curves are steep
    flow_snr = flow.flow_log_snr((np.arange(linear.T) + 0.5) / linear.T)
    cosine_snr = np.log(cosine.signal_to_noise_ratio())
    assert np.abs(flow_snr - cosine_snr)[middle].max() < 1.2  # "nearly the same curve", on a range of 20
    assert np.all(np.log(linear.signal_to_noise_ratio())[middle] < cosine_snr[middle])  # "falls fastest"
    mixture = flow.three_blobs()
    distances = flow.frechet_by_steps(mixture, mixture.sample(flow.POINTS, np.random.default_rng(1)))
    ratio = dict(zip(flow.STEP_COUNTS, np.divide(distances["ddim"], distances["flow"]), strict=True))
    assert ratio[2] > 3 and ratio[4] > 3  # "several times closer"
    assert all(0.67 < ratio[n] < 1.5 for n in flow.STEP_COUNTS if n >= 16)  # "from 16 on the two are close"
    assert "several times" in REGISTRY["flow-matching-steps"].alt

#!/usr/bin/python3
"""Writes the tslab notebooks from the cell sources below (run: /usr/bin/python3 notebooks/make.py).

Each notebook imports the packages the way a user would (`@astro/...` from node_modules) and is
executed headlessly in CI by run-notebooks.mjs (jupyter nbconvert --execute, tslab kernel)."""
import json
import pathlib

HERE = pathlib.Path(__file__).parent


def notebook(cells):
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": src[3:].strip() + "\n"}
            if src.startswith("md:")
            else {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": src.strip() + "\n"}
            for src in cells
        ],
        "metadata": {
            "kernelspec": {"display_name": "TypeScript", "language": "typescript", "name": "tslab"},
            "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


NOTEBOOKS = {}

NOTEBOOKS["core"] = [
    "md:# @astro/core: backends, a small model, and a plot\n\n"
    "Pick the best backend (WebGPU → WebAssembly → CPU), train a small MLP, and look at the loss curve.",
    """
import * as tslab from 'tslab';
import { ready, tf } from '@astro/core';
import { MLP } from '@astro/core/nn';
import { AdamW } from '@astro/core/optim';
import { fit } from '@astro/core/train';
import { linePlot } from '@astro/core/plot';
const info = await ready();
console.log(info.backend, info.tried.map((t) => `${t.backend}: ${t.ok ? 'ok' : t.reason}`));
""",
    "md:Learn a damped oscillation, the shape of a stellar pulsation's autocorrelation.",
    """
const x = Array.from({ length: 512 }, (_, i) => [i / 256 - 1]);
const y = x.map(([t]) => [Math.exp(-2 * Math.abs(t!)) * Math.cos(8 * t!)]);
const model = new MLP({ sizes: [1, 64, 64, 1], activation: 'gelu', seed: 0 });
const optimizer = new AdamW(model.namedParameters(), { lr: 5e-3 });
const { history } = await fit(model, { x, y }, { epochs: 40, batchSize: 64, optimizer, seed: 1 });
console.log(`final MSE ${history.loss.at(-1)!.toExponential(2)}`);
if (!(history.loss.at(-1)! < history.loss[0]!)) throw new Error('training did not reduce the loss');
""",
    """
const svg = await linePlot({
  series: [{ name: 'training', x: history.loss.map((_, i) => i + 1), y: history.loss }],
  x: { title: 'epoch' },
  y: { title: 'MSE', log: true },
  title: 'Loss curve',
});
tslab.display.html(svg);
""",
]

for name, cells in NOTEBOOKS.items():
    path = HERE / f"{name}.ipynb"
    path.write_text(json.dumps(notebook(cells), indent=1) + "\n")
    print("wrote", path)

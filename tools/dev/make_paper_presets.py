#!/usr/bin/env python3
"""Regenerates resources/presets/<paper experiment>.yaml from the authors' experiment files.

Developer tool only (the product never reads the authors' files): it copies the experiment values,
drops keys with no meaning for signal experiments, and replaces the authors' bison movie by Plexus'
built-in synthetic movie so the presets work without their data.
Usage: tools/dev/make_paper_presets.py ../shared/data/authors resources/presets
"""
import pathlib
import sys

import yaml

NAMES = {
    "signal_fig_2": ("fig_2", "Fig 2 baseline: 1000 neurons, 4 types, no noise, 100 000 frames"),
    "signal_fig_supp_3": ("supp_3", "Supp 3: fig_2 data trained without latent vectors (identical neurons)"),
    "signal_fig_supp_7_1": ("supp_7_1", "Supp 7: fig_2 network with 50 000 frames"),
    "signal_fig_supp_7_2": ("supp_7_2", "Supp 7: fig_2 network with 40 000 frames"),
    "signal_fig_supp_7_3": ("supp_7_3", "Supp 7: fig_2 network with 30 000 frames"),
    "signal_fig_supp_7_4": ("supp_7_4", "Supp 7: fig_2 network with 20 000 frames"),
    "signal_fig_supp_7_5": ("supp_7_5", "Supp 7: fig_2 network with 10 000 frames"),
    "signal_fig_supp_8": ("supp_8", "Supp 8: sparse connectivity, 5 % of W non-zero, two-phase training"),
    "signal_fig_supp_8_1": ("supp_8_1", "Supp 8: sparse connectivity, 50 % of W non-zero"),
    "signal_fig_supp_8_2": ("supp_8_2", "Supp 8: sparse connectivity, 20 % of W non-zero"),
    "signal_fig_supp_8_3": ("supp_8_3", "Supp 8: sparse connectivity, 10 % of W non-zero"),
    "signal_fig_supp_10": ("supp_10", "Supp 10: strong noise (sigma = 7.2 per step)"),
    "signal_fig_supp_11": ("supp_11", "Supp 11: 8000 neurons with noise (sigma = 1); large (6.4 GB of data)"),
    "signal_fig_supp_12": ("supp_12", "Supp 12: 32 neuron types"),
    "signal_fig_supp_13": ("supp_13", "Supp 13: PDE_N4, transfer function depends on the sender's width"),
    "signal_fig_supp_14": ("supp_14", "Supp 14: PDE_N5, transfer depends on receiver and sender"),
    "signal_fig_3": ("fig_3", "Fig 3: 2048 neurons, hidden visual stimulus modulating 1024 of them (PDE_N4)"),
}
DROP = {("simulation", k) for k in ("dpos_init", "boundary", "tau", "min_radius", "max_radius")}
DROP |= {("graph_model", k) for k in ("particle_model_name", "mesh_model_name")}
SECTIONS = ("simulation", "graph_model", "plotting", "training")


class FlowRows(list):
    pass


def represent_rows(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


yaml.SafeDumper.add_representer(FlowRows, represent_rows)


def convert(src: pathlib.Path, out_dir: pathlib.Path):
    name, description = NAMES[src.stem]
    data = yaml.safe_load(src.read_text())
    out = {"description": description, "dataset": name}
    for section in SECTIONS:
        values = {}
        for key, value in (data.get(section) or {}).items():
            if (section, key) in DROP:
                continue
            if isinstance(value, list):
                nested = value and isinstance(value[0], list)
                value = [FlowRows(v) for v in value] if nested else FlowRows(value)
            values[key] = value
        out[section] = values
    if name == "fig_3":
        out["simulation"]["node_value_map"] = "builtin:blobs"
    header = (f"# Plexus preset '{name}': the paper experiment {src.stem} (Allier et al., 2026).\n"
              "# Values as in the authors' experiment file; see docs/presets.md.\n")
    if name == "fig_3":
        header += ("# The authors' stimulus is their 32x32 bison movie; this preset uses Plexus' built-in\n"
                   "# moving-blobs movie instead. Set node_value_map to a TIFF stack to use another movie.\n")
    text = header + yaml.safe_dump(out, sort_keys=False, default_flow_style=False, width=110)
    (out_dir / f"{name}.yaml").write_text(text)


def main():
    src_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    for src in sorted(src_dir.glob("signal_fig_*.yaml")):
        if src.stem in NAMES:
            convert(src, out_dir)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Checks executed notebooks: no error output, every code cell ran, and the expected rich outputs exist.

Default expectation per notebook: at least one text/html output containing "<table" and at least one
image/png output. A notebook may set its own in its metadata:
    "seqcl": {"expect": {"min_tables": 3, "min_images": 2, "text": ["SASRec"]}}
("text": strings that must appear in some output). Usage: check_notebooks.py EXECUTED.ipynb...
"""
import json
import sys


def joined(v):
    return "".join(v) if isinstance(v, list) else (v or "")


def check(path):
    nb = json.load(open(path))
    expect = {"min_tables": 1, "min_images": 1, "text": []}
    expect.update(nb.get("metadata", {}).get("seqcl", {}).get("expect", {}))
    problems, tables, images, texts = [], 0, 0, []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if not joined(cell["source"]).strip():
            continue
        if cell.get("execution_count") is None:
            problems.append("cell %d was not executed" % i)
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                problems.append("cell %d: %s: %s" % (i, out.get("ename"), out.get("evalue", "")[:200]))
            data = out.get("data", {})
            html = joined(data.get("text/html"))
            if "<table" in html:
                tables += 1
            if data.get("image/png"):
                images += 1
            texts.append(html + joined(data.get("text/plain")) + joined(out.get("text")))
    if tables < expect["min_tables"]:
        problems.append("%d HTML table outputs, expected at least %d" % (tables, expect["min_tables"]))
    if images < expect["min_images"]:
        problems.append("%d PNG image outputs, expected at least %d" % (images, expect["min_images"]))
    everything = "\n".join(texts)
    for t in expect["text"]:
        if t not in everything:
            problems.append("no output contains %r" % t)
    return problems, tables, images


def main(paths):
    failed = 0
    for p in paths:
        problems, tables, images = check(p)
        if problems:
            failed += 1
            print("FAIL %s (%d tables, %d images)" % (p, tables, images))
            for x in problems:
                print("     - " + x)
        else:
            print("ok   %s (%d tables, %d images)" % (p, tables, images))
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

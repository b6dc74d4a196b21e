#!/usr/bin/env python3
"""The seeds' Python programs beside the chapters' Rust programs, measured in one run.

    python3 book/python/compare.py [CHAPTER...] [--runs N] [--python PATH]...

For each program below that has a workload, this runs the Python file and its Rust
counterpart (`cargo run -- run --release --time ENTRY ARGS`: the chapter built in release
mode, the reference solution, or the untouched exercise where the seed's program is the
broken one) alternately, N paired runs, after one unmeasured run of each (which also
builds the Rust side). Each side's time is its wall time from the start of its process to
its exit; each pair of runs gives one ratio (Python / Rust). It writes, per chapter, the
group `chNN/python_vs_rust` of `book/figures/CHAPTER.json`: the medians, the median ratio
and the range of the ratios, the interpreter's version and what each side printed, with
the machine, this command and the day. `cargo run -- sync` then draws it on every page
that has `<!-- figures: chNN/python_vs_rust -->` ... `<!-- /figures -->`.

Interpreters: the one running this script, every `--python`, and a free-threaded CPython
(python3.13t, python3.14t, ...) when one is installed. Set CARGO_TARGET_DIR as for your
other builds. `--list` shows the programs and which Rust entries do not exist yet.
"""

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python < 3.11: the entries are then not checked beforehand
    tomllib = None

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CPUS = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())

# What is compared. `tree`: which Rust tree runs (`solutions`, or `exercises` for the
# untouched exercise, when the seed's program is the broken one); `printed`: record the
# last line each side prints (the final balance).
PROGRAMS = [
    dict(chapter="ch02_threads", program="music and movie, one after another (seconds × 0.1)",
         python=["ch02_music_movie.py", "0.1"], tree="solutions",
         rust=["player", "sequential", "0.1"]),
    dict(chapter="ch02_threads", program="music and movie, a thread each (seconds × 0.1)",
         python=["ch02_music_movie_threads.py", "0.1"], tree="solutions",
         rust=["player", "threads", "0.1"]),
    dict(chapter="ch03_locks", program="balance without the lock (Rust: the untouched exercise)",
         python=["ch03_balance_unlocked.py"], tree="exercises", rust=["balance"], printed=True),
    dict(chapter="ch03_locks", program="balance with the lock",
         python=["ch03_balance_locked.py"], tree="solutions", rust=["balance"], printed=True),
    dict(chapter="ch07_pools", program="Pool(16): 1000 tasks of 10 ms",
         python=["ch07_pool_map.py", "16", "pool-only"], tree="solutions",
         rust=["process_pool", "sleep", "16", "1000", "10"]),
    dict(chapter="ch07_pools", program="32 × primes below 20,000, one after another",
         python=["ch07_cpu_map.py", "sequential"], tree="solutions",
         rust=["cpu_vs_io", "1", "32", "20000"]),
    dict(chapter="ch07_pools", program=f"32 × primes below 20,000, {CPUS} threads",
         python=["ch07_cpu_map.py", "threads", CPUS], tree="solutions",
         rust=["cpu_vs_io", CPUS, "32", "20000"]),
    dict(chapter="ch07_pools", program=f"32 × primes below 20,000, {CPUS} processes",
         python=["ch07_cpu_map.py", "processes", CPUS], tree="solutions",
         rust=["process_pool", "primes", CPUS, "32", "20000"]),
]

TITLE = "The seed's Python beside the Rust, measured"
TIME = re.compile(r"^time: ([0-9.]+) s", re.M)


def entries():
    """Every program `cargo run -- run` knows, from workbook.toml (None: cannot tell)."""
    if tomllib is None:
        return None
    manifest = tomllib.loads((ROOT / "workbook.toml").read_text())
    known = {}
    for chapter in manifest["chapter"]:
        for ex in chapter["exercises"]:
            for f in ex.get("entries", []):
                name = ex["name"] if f == "main" else f"{ex['name']}::{f}"
                known[name] = (chapter["name"], ex["name"])
    return known


def interpreters(extra, look_for_free_threaded):
    paths = [sys.executable, *extra]
    if look_for_free_threaded:
        for minor in range(13, 20):
            found = shutil.which(f"python3.{minor}t")
            if found:
                paths.append(found)
    described, seen = [], set()
    probe = ("import json, platform, sys, sysconfig; print(json.dumps([platform."
             "python_implementation(), platform.python_version(), "
             "bool(sysconfig.get_config_var('Py_GIL_DISABLED'))]))")
    for path in paths:
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        out = subprocess.run([path, "-c", probe], capture_output=True, text=True, check=True)
        impl, version, free = json.loads(out.stdout)
        described.append((path, f"{impl} {version}" + (" free-threaded" if free else "")))
    return described


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = {"Linux": "Linux", "Darwin": "macOS"}.get(platform.system(), platform.system())
    return f"{model}, {CPUS} CPUs, {system} {platform.release()}".strip()


def rust_command(spec):
    cargo = os.environ.get("CARGO", "cargo")
    features = ["--features", "solutions"] if spec["tree"] == "solutions" else []
    return [cargo, "run", "-q", *features, "--", "run", "--release", "--time", *spec["rust"]]


def last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def run_python(interpreter, spec):
    cmd = [interpreter, str(HERE / spec["python"][0]), *spec["python"][1:]]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return took, last_line(done.stdout)


def run_rust(spec):
    cmd = rust_command(spec)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=ROOT)
    times = TIME.findall(done.stderr)
    if done.returncode != 0 or not times:
        raise RuntimeError(f"{shlex.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return float(times[-1]), last_line(done.stdout)


def why_not(spec, known):
    """Why this program cannot be compared now, or None."""
    entry = spec["rust"][0]
    if known is not None and entry not in known:
        return (f"no Rust program `{entry}` yet (an entry of {spec['chapter']} in "
                f"workbook.toml, `cargo run -- run {shlex.join(spec['rust'])}`)")
    if spec["tree"] == "exercises":
        chapter, exercise = known[entry] if known else (spec["chapter"], entry)
        file = f"exercises/{chapter}/{exercise}.rs"
        changed = subprocess.run(["git", "status", "--porcelain", "--", file],
                                 capture_output=True, text=True, cwd=ROOT).stdout.strip()
        if changed:
            return f"{file} is not untouched (git says: {changed})"
    return None


def compare(spec, interpreter, described, runs):
    run_rust(spec)  # builds the chapter in release mode; not measured
    run_python(interpreter, spec)
    py_times, rust_times, ratios = [], [], []
    py_printed, rust_printed = {}, {}
    for i in range(runs):
        sides = ["python", "rust"] if i % 2 == 0 else ["rust", "python"]
        got = {}
        for side in sides:
            got[side] = run_python(interpreter, spec) if side == "python" else run_rust(spec)
        (py, py_out), (rust, rust_out) = got["python"], got["rust"]
        py_times.append(py)
        rust_times.append(rust)
        ratios.append(py / rust)
        py_printed[py_out] = py_printed.get(py_out, 0) + 1
        rust_printed[rust_out] = rust_printed.get(rust_out, 0) + 1
    pair = {
        "program": spec["program"],
        "python_file": f"book/python/{spec['python'][0]}",
        "python": described,
        "rust_entry": spec["rust"][0],
        "rust_tree": spec["tree"],
        "python_median": statistics.median(py_times),
        "rust_median": statistics.median(rust_times),
        "ratio": statistics.median(ratios),
        "ratio_low": min(ratios),
        "ratio_high": max(ratios),
    }
    if spec.get("printed"):
        pair["python_printed"] = dict(sorted(py_printed.items()))
        pair["rust_printed"] = dict(sorted(rust_printed.items()))
    return pair


def write(chapter, pairs, runs, command, machine_text):
    path = ROOT / "book" / "figures" / f"{chapter}.json"
    data = json.loads(path.read_text()) if path.exists() else {"chapter": chapter, "groups": []}
    gid = f"{chapter.split('_')[0]}/python_vs_rust"
    old = next((g for g in data["groups"] if g["id"] == gid), None)
    group = {
        "id": gid,
        "title": old.get("title", TITLE) if old else TITLE,
        "machine": machine_text,
        "command": command,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "unit": "s",
        "runs": runs,
        "pairs": pairs,
    }
    if old:
        data["groups"][data["groups"].index(old)] = group
    else:
        data["groups"].append(group)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(ROOT)} ({gid}); `cargo run -- sync` draws it")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="only these chapters (ch03_locks)")
    parser.add_argument("--runs", type=int, default=5, help="paired runs per program")
    parser.add_argument("--python", action="append", default=[], help="another interpreter")
    parser.add_argument("--no-free-threaded", action="store_true",
                        help="do not look for a free-threaded CPython")
    parser.add_argument("--machine", help="describe the machine yourself")
    parser.add_argument("--list", action="store_true", help="show the programs and stop")
    parser.add_argument("--dry-run", action="store_true", help="measure, write nothing")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    known = entries()
    specs = [s for s in PROGRAMS if not args.chapters or s["chapter"] in args.chapters]
    if args.list:
        for spec in specs:
            missing = why_not(spec, known)
            state = f"  -- skipped: {missing}" if missing else ""
            print(f"{spec['chapter']}: {spec['program']}: python3 book/python/"
                  f"{shlex.join(spec['python'])}  |  {shlex.join(rust_command(spec))}{state}")
        return 0
    command = shlex.join(["python3", "book/python/compare.py", *sys.argv[1:]])
    pythons = interpreters(args.python, not args.no_free_threaded)
    if not any("free-threaded" in d for _, d in pythons):
        print("no free-threaded CPython found (python3.13t, ...): measuring with "
              + ", ".join(d for _, d in pythons))
    by_chapter = {}
    for spec in specs:
        missing = why_not(spec, known)
        if missing:
            print(f"skipped {spec['chapter']}: {spec['program']}: {missing}")
            continue
        for interpreter, described in pythons:
            print(f"measuring {spec['chapter']}: {spec['program']} ({described}, "
                  f"{args.runs} paired runs)", flush=True)
            pair = compare(spec, interpreter, described, args.runs)
            print(f"  Python {pair['python_median']:.4f} s, Rust {pair['rust_median']:.4f} s, "
                  f"ratio {pair['ratio']:.2f} ({pair['ratio_low']:.2f}-{pair['ratio_high']:.2f})")
            by_chapter.setdefault(spec["chapter"], []).append(pair)
    if not args.dry_run:
        machine_text = args.machine or machine()
        for chapter, pairs in by_chapter.items():
            write(chapter, pairs, args.runs, command, machine_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

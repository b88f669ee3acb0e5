#!/usr/bin/env python3
"""Starts the installed seqcl Java kernel N times in a row, headless, and checks every start.

One start = launch the kernelspec (jupyter_client, exactly as nbconvert and the notebook server do), wait for
kernel_info_reply, execute `1+1` and expect the result 2, then shut the kernel down through the control
channel. A start that misses any step within --timeout seconds counts as failed (for the rapaio start-up race
that is a hang: the JVM is alive but a channel thread has already exited) and is killed.

--no-fix runs the same starts on a temporary copy of the kernelspec without the fix (kernel/patch off the class
path, the kernel's stock MainApp as main class), to measure the races it neutralises. --load K keeps K busy processes running during the starts
(they are this script's own children and are terminated at the end), which makes the race likelier.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def nofix_spec_dir(kernel_name, tmp):
    """Copy of the kernelspec with the patch directory removed from the JVM class path."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    patch = spec.metadata.get("seqcl", {}).get("race_fix")
    if not patch:
        sys.exit("kernelspec %s has no seqcl.race_fix metadata: re-run kernel/install.sh" % kernel_name)
    argv = list(spec.argv)
    i = argv.index("-cp") + 1
    entries = [e for e in argv[i].split(os.pathsep) if os.path.normpath(e) != os.path.normpath(patch)]
    assert len(entries) == len(argv[i].split(os.pathsep)) - 1, "patch entry not found on the class path"
    argv[i] = os.pathsep.join(entries)
    main = spec.metadata["seqcl"]["race_fix_main"]
    argv[argv.index(main)] = spec.metadata["seqcl"]["stock_main"]
    name = kernel_name + "-nofix"
    d = os.path.join(tmp, "kernels", name)
    os.makedirs(d)
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": spec.display_name + " [no race fix]", "language": "java",
                   "env": spec.env, "interrupt_mode": spec.interrupt_mode}, f)
    os.environ["JUPYTER_PATH"] = tmp + (os.pathsep + os.environ["JUPYTER_PATH"] if os.environ.get("JUPYTER_PATH") else "")
    return name


def one_start(kernel_name, timeout, log_path):
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.monotonic()
    with open(log_path, "w") as log:
        km.start_kernel(stdout=log, stderr=subprocess.STDOUT)
    kc = km.client()
    kc.start_channels()
    ok, detail, t_ready = False, "", None
    try:
        kc.wait_for_ready(timeout=timeout)
        t_ready = time.monotonic() - t0
        results = []

        def hook(msg):
            if msg["msg_type"] == "execute_result":
                data = msg["content"]["data"]  # rapaio answers with text/html only
                results.append(data.get("text/plain", data.get("text/html", "")))

        reply = kc.execute_interactive("1+1", timeout=timeout, output_hook=hook)
        if reply["content"]["status"] != "ok":
            detail = "execute status %s" % reply["content"]["status"]
        elif not results or results[-1].strip() != "2":
            detail = "1+1 gave %r" % (results,)
        else:
            ok = True
    except Exception as e:  # noqa: BLE001 - any failure of a start is reported, not raised
        detail = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        if t_ready is None:
            detail = "no kernel_info_reply within %ds (hang) - %s" % (timeout, detail)
    total = time.monotonic() - t0
    kc.stop_channels()
    try:
        km.shutdown_kernel(now=not ok)
    except Exception:  # noqa: BLE001
        pass
    if km.has_kernel and km.is_alive():
        km.shutdown_kernel(now=True)
    return ok, t_ready, total, detail


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=20)
    ap.add_argument("--kernel", default="seqcl-java")
    ap.add_argument("--no-fix", action="store_true", help="run without the LoopThread race fix")
    ap.add_argument("--load", type=int, default=0, help="busy processes to run meanwhile")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per step before a start counts as hung")
    ap.add_argument("--log-dir", default=None)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="seqcl-starts-")
    log_dir = a.log_dir or os.path.join(tmp, "logs")
    os.makedirs(log_dir, exist_ok=True)
    name = nofix_spec_dir(a.kernel, tmp) if a.no_fix else a.kernel
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(a.load)]
    label = "WITHOUT the race fix" if a.no_fix else "with the race fix"
    print("kernel '%s' %s, %d consecutive starts, %d busy processes, timeout %gs, logs in %s"
          % (name, label, a.n, a.load, a.timeout, log_dir), flush=True)
    passed, times = 0, []
    try:
        for i in range(1, a.n + 1):
            ok, ready, total, detail = one_start(name, a.timeout, os.path.join(log_dir, "start-%02d.log" % i))
            if ok:
                passed += 1
                times.append(ready)
                print("start %2d/%d: ok    kernel_info after %5.2fs, 1+1=2, total %5.2fs" % (i, a.n, ready, total),
                      flush=True)
            else:
                print("start %2d/%d: FAIL  %s (after %.1fs, log %s)" % (i, a.n, detail, total,
                      os.path.join(log_dir, "start-%02d.log" % i)), flush=True)
    finally:
        for p in busy:
            p.terminate()
        for p in busy:
            p.wait()
    if times:
        print("kernel_info reply after %.2fs median, %.2fs max" % (sorted(times)[len(times) // 2], max(times)))
    print("%d/%d starts succeeded" % (passed, a.n))
    return 0 if passed == a.n else 1


if __name__ == "__main__":
    sys.exit(main())

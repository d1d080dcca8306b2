"""The GIL is released while the library computes, and Ctrl-C (SIGINT) cancels a run."""
import signal
import subprocess
import sys
import textwrap
import threading
import time

import mimkit

# About 2 ms a step at d = 256, alpha = 16 on one core: 10^6 steps would take most of an hour,
# so finishing within seconds of the signal means the signal stopped it.
ENDLESS = "dict(d=256, alpha=16, T1=1000000, ntest=256, n2=256)"


def run_and_interrupt(body, env):
    """Runs `body` (which prints 'ready' before its long call) in a fresh interpreter, sends
    SIGINT 0.5 s after 'ready' and returns (exit code, stdout, stderr, seconds to exit)."""
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(body)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)
    assert child.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        out, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise AssertionError("SIGINT did not stop the run within 60 s")
    return child.returncode, out, err, time.monotonic() - sent


def test_ctrl_c_cancels_a_run_with_keyboard_interrupt_and_the_module_stays_usable(child_env):
    code, out, err, seconds = run_and_interrupt(f"""
        import time, mimkit
        print("ready", flush=True)
        start = time.monotonic()
        try:
            mimkit.run(**{ENDLESS})
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        # The library is fine after a cancelled run.
        print(mimkit.run(d=32, m=8, T1=3, ntest=128, n2=128)["config"]["d"])
    """, child_env)
    assert code == 0, err
    assert out.split() == ["interrupted", "32"]
    assert seconds < 10


def test_an_unhandled_ctrl_c_in_a_trainer_ends_python_as_usual(child_env):
    code, _, err, seconds = run_and_interrupt(f"""
        import mimkit
        t = mimkit.Trainer(**{ENDLESS})
        print("ready", flush=True)
        t.train()
    """, child_env)
    assert code != 0 and err.rstrip().endswith("KeyboardInterrupt")
    assert seconds < 10


def test_ctrl_c_cancels_data_generation(child_env):
    code, _, err, seconds = run_and_interrupt("""
        import mimkit
        print("ready", flush=True)
        # The scalar kernels generate about 2e7 normals a second: this takes half a minute.
        mimkit.data(d=1024, n=1 << 19, arch="scalar")
    """, child_env)
    assert code != 0 and "KeyboardInterrupt" in err
    assert seconds < 10


def test_other_python_threads_run_while_the_library_computes():
    ticks = 0
    done = threading.Event()

    def work():
        mimkit.run(d=256, alpha=16, T1=400, ntest=256, n2=256)   # about a second
        done.set()

    worker = threading.Thread(target=work)
    start = time.monotonic()
    worker.start()
    # With the GIL held by the run, this thread could not wake up before the run ends.
    while not done.is_set():
        time.sleep(0.01)
        ticks += 1 if not done.is_set() else 0
    worker.join()
    elapsed = time.monotonic() - start
    assert elapsed > 0.2, "the run was too short to tell"
    assert ticks >= 10, f"{ticks} ticks in {elapsed:.2f} s: the GIL was held"

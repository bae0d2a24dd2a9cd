"""Expected failures (--expect): the file's validation, excusing exactly one check, the
fail -> --update-expect -> xfailed -> fixed -> unexpectedly passed loop, and per-target tolerances."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from strategies import Case

from . import expectations as X
from .pytest_runs import run_pytest
from .registry import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
BROKEN = "module:conformance.fixtures.broken_lib"
GOOD = '[[expected]]\ntarget = "meta"\nop = "add"\ncheck = "errors"\nreason = "r"\n'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[[nope]]\nx = 1\n", "unknown top-level key 'nope'"),
        (GOOD + 'colour = "red"\n', "unknown key 'colour'"),
        (GOOD.replace('reason = "r"\n', ""), "'reason' is required"),
        (GOOD.replace('"errors"', '"speed"'), "unknown check 'speed'"),
        (GOOD.replace('"add"', '"no_such_op*"'), "op 'no_such_op*' matches no op"),
        (GOOD + 'example = "{}"\n', "the stored example is not a case"),
        ("expected = 3\n", "must be an array of tables"),
        ('[[tolerance]]\ntarget = "x"\nfamily = "sum"\ndtype = "*"\nrtol = 1\natol = 0\n', "'reason' is required"),
        ('[[tolerance]]\ntarget="x"\nfamily="sum"\ndtype="*"\nrtol=-1\natol=0\nreason="r"\n', "'rtol' is required"),
        ('[[tolerance]]\ntarget="x"\nfamily="speed"\ndtype="*"\nrtol=1\natol=0\nreason="r"\n', "family 'speed'"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_a_bad_file_is_refused_in_one_line(tmp_path, text, words):
    path = tmp_path / "expect.toml"
    path.write_text(text)
    with pytest.raises(X.ExpectationError) as info:
        X.load(path, list(REGISTRY))
    assert words in str(info.value) and "\n" not in str(info.value)


def test_a_good_file_loads_with_globs(tmp_path):
    path = tmp_path / "expect.toml"
    path.write_text(GOOD.replace('"add"', '"bitwise_*"') + 'dtype = "int*"\nreview = 2027-01-31\n')
    (e,) = X.load(path, list(REGISTRY))
    assert e.covers("meta", "bitwise_and", "errors", "int16")
    assert not e.covers("meta", "bitwise_and", "errors", "float32")  # narrow: one dtype family
    assert not e.covers("meta", "bitwise_and", "values", "int16")  # narrow: one check
    assert not e.covers("torch:cpu", "bitwise_and", "errors", "int16")
    assert e.review == "2027-01-31"


def test_problems_are_classified_by_check():
    case, inplace = Case(()), Case((), form="inplace + positional")
    assert (
        X.problem_check("test_values", "output 0 of shape (2,): strides meta (1,) != reference (2,)", case) == "strides"
    )
    assert X.problem_check("test_values", "output 0: .view(-1) succeeds on a, not on b", case) == "strides"
    assert X.problem_check("test_values", "output 0: dtype a float32 != b float64", case) == "dtype"
    assert X.problem_check("test_values", "output 0: shape a (1,) != b (2,)", case) == "shape"
    assert X.problem_check("test_values", "output 0: 3 of 4 values differ (...)", case) == "values"
    assert X.problem_check("test_values", "output 0: 3 of 4 values differ (...)", inplace) == "in-place"
    assert X.problem_check("test_values", "meta raised ValueError (x) -- where reference succeeded", case) == "errors"
    assert (
        X.problem_check("test_aliasing", "output 0 vs input 0: a (is input, is view, shares memory) = ...", case)
        == "aliasing"
    )
    assert X.problem_check("test_gradients_match_torch", "gradient of input 0: ...", case) == "gradients"
    assert X.problem_check("test_double_backward_matches_torch", "only one side ...", case) == "double backward"


def test_stored_examples_round_trip_layouts_and_specials():
    arr = np.arange(12, dtype=np.float32).reshape(3, 4).T[::2]
    case = Case((arr, 1, (None, Ellipsis), "ij->ji", [np.array(1 + 2j)]), {"alpha": float("-inf")}, form="method")
    back = X.case_from_data(json.loads(X.case_to_data(case)))
    assert np.array_equal(back.args[0], arr) and back.args[0].strides == arr.strides
    assert back.args[1:4] == (1, (None, Ellipsis), "ij->ji") and back.args[4][0] == 1 + 2j
    assert back.kwargs == {"alpha": float("-inf")} and back.form == "method"


def _run(tmp_path, *args, env=None, name="run"):
    out = tmp_path / f"{name}.json"
    proc = run_pytest(
        "--target",
        BROKEN,
        "conformance/test_ops.py",
        "-k",
        "test_values and (add or gather)",
        *args,
        json_path=out,
        env_extra=env,
    )
    doc = json.loads(out.read_text()) if out.exists() else {}
    return proc, {r["op"]: r for r in doc.get("results", [])}


def test_fail_update_xfail_fix_xpass(tmp_path):
    expect = tmp_path / "expect.toml"
    proc, res = _run(tmp_path, "--expect", str(expect), "--update-expect", name="first")
    assert proc.returncode == 1 and res["add"]["outcome"] == "failed", proc.stdout[-2000:]
    text = expect.read_text()
    assert f'target = "{BROKEN}"' in text and 'check = "values"' in text and "example = " in text
    assert "gather" not in text  # only what failed

    proc, res = _run(tmp_path, "--expect", str(expect), name="second")
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert res["add"]["outcome"] == "xfailed" and "observed in a run" in res["add"]["reason"]
    assert res["gather"]["outcome"] == "passed"

    proc, res = _run(tmp_path, "--expect", str(expect), env={"BROKEN_LIB_FIXED": "1"}, name="fixed")
    assert proc.returncode == 1 and res["add"]["outcome"] == "failed"
    assert "XPASS(strict)" in res["add"]["message"]


def test_an_entry_excuses_only_its_check_and_unmatched_entries_are_listed(tmp_path):
    expect = tmp_path / "expect.toml"
    expect.write_text(
        f'[[expected]]\ntarget = "{BROKEN}"\nop = "add"\ncheck = "strides"\nreason = "not the bug"\n\n'
        '[[expected]]\ntarget = "meta"\nop = "gather"\ncheck = "errors"\nreason = "another target"\n'
    )
    proc, res = _run(tmp_path, "--expect", str(expect))
    assert res["add"]["outcome"] == "failed"  # a values problem is not excused by a strides entry
    assert "matches no test of this run: [meta / gather / errors]" in proc.stdout


def test_a_tolerance_override_for_one_target_is_applied_and_reported(tmp_path):
    expect = tmp_path / "expect.toml"
    expect.write_text(
        f'[[tolerance]]\ntarget = "{BROKEN}"\nfamily = "*"\ndtype = "float*"\nrtol = 0.01\natol = 0\n'
        'reason = "this library rounds its additions to 8 bits on purpose"\n'
    )
    proc, res = _run(tmp_path, "--expect", str(expect))
    assert proc.returncode == 0 and res["add"]["outcome"] == "passed", proc.stdout[-2000:]
    env = json.loads((tmp_path / "run.json").read_text())["environment"]
    assert env["tolerance_overrides"][0]["reason"].endswith("on purpose")
    from reports import load_runs, render

    assert "on purpose" in render(load_runs([tmp_path / "run.json"]))


def test_an_unusable_file_stops_the_run_in_one_line(tmp_path):
    expect = tmp_path / "expect.toml"
    expect.write_text(GOOD + 'colour = "red"\n')
    proc, _ = _run(tmp_path, "--expect", str(expect))
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR
    assert "unknown key 'colour'" in proc.stderr

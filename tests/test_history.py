"""CSV history import: rates and counters, and errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.cli import app
from assess.collect.history import import_csv, read_history, read_history_csv
from assess.errors import InventoryError

FIX = Path(__file__).parent / "fixtures" / "history"


def test_rates_with_iso_and_epoch_timestamps() -> None:
    df = read_history_csv(FIX / "rates_mixed_times.csv")
    assert len(df) == 3
    assert set(df["interface"]) == {"GigabitEthernet0/0/0"}  # canonical names, as collection uses
    assert df["time_ns"].is_monotonic_increasing
    # 2026-11-01T10:05:00Z is 300 s after 10:00:00Z: the interval of that row.
    assert df["interval_s"].iloc[2] == pytest.approx(300)
    assert df["in_bps"].tolist()[1:] == [31e6, 33e6]


def test_counters_become_rates_with_32_bit_wrap() -> None:
    df = read_history_csv(FIX / "counters_wrap32.csv", counter_bits=32, circuit_bps=1e9)
    assert len(df) == 1
    assert df["in_bps"].iloc[0] == pytest.approx(80e6)  # one wrap in 300 s at 80 Mb/s
    assert df["out_bps"].iloc[0] == pytest.approx(80e6)
    # As 64-bit counters the same decrease is a reset: no rate, a gap.
    df64 = read_history_csv(FIX / "counters_wrap32.csv", counter_bits=64, circuit_bps=1e9)
    assert df64["in_bps"].isna().all()


def test_missing_columns_named() -> None:
    with pytest.raises(InventoryError) as e:
        read_history_csv(FIX / "missing_columns.csv")
    assert "missing_columns.csv" in str(e.value) and "interface" in str(e.value)
    # in_bps is there, so the message names exactly the other half of the pair
    assert "missing column(s): interface, out_bps;" in str(e.value)


def test_bad_rows_named_by_line() -> None:
    with pytest.raises(InventoryError) as e:
        read_history_csv(FIX / "bad_rows.csv")
    msg = str(e.value)
    assert "line 2: timestamp '2026-11-01 10:00' has no UTC offset" in msg
    assert "line 3: timestamp 'yesterday'" in msg
    assert "line 2: in_bps 'abc' is not a number" in msg
    assert "line 3: in_bps is negative" in msg


def test_import_appends_and_bad_file_touches_nothing(tmp_path: Path) -> None:
    import_csv(FIX / "rates_mixed_times.csv", tmp_path)
    import_csv(FIX / "counters_wrap32.csv", tmp_path, counter_bits=32)
    before = sorted(p.name for p in (tmp_path / "history").iterdir())
    result = CliRunner().invoke(app, ["import", "csv", str(FIX / "bad_rows.csv"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "line 3" in result.output
    assert sorted(p.name for p in (tmp_path / "history").iterdir()) == before
    hist = read_history(tmp_path)
    assert len(hist) == 4
    assert set(hist["source"]) == {"csv:rates_mixed_times.csv", "csv:counters_wrap32.csv"}

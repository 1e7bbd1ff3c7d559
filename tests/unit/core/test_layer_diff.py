"""`prod-image compare`: layers side by side, file systems rebuilt, differences explained."""

from __future__ import annotations

from typing import Any

from breeze.core.layer_diff import (
    FOLDER_TIME,
    Difference,
    EntryFacts,
    apply_layer,
    compare_images,
    entry_differences,
    explain,
    layer_steps,
    same_files,
    state_differences,
)


def _file(content: str = "a", mtime: int = 100, mode: int = 0o644) -> EntryFacts:
    return EntryFacts("file", mode, "0:0", mtime, content)


def _dir(mtime: int = 100) -> EntryFacts:
    return EntryFacts("dir", 0o755, "0:0", mtime, "")


WHITEOUT = EntryFacts("whiteout", 0, "0:0", 0, "")


def _attrs(*layers: str, created: str = "2026-12-02T12:24:22Z", **labels: str) -> dict[str, Any]:
    return {
        "Created": created,
        "RootFS": {"Layers": list(layers)},
        "Config": {"Labels": labels, "User": "50000", "Env": ["A=1"]},
    }


def test_layers_are_paired_by_position_and_labels_and_dates_compared() -> None:
    first = _attrs("sha256:base", "sha256:apt", "sha256:dags", version="3.3.2")
    second = _attrs("sha256:base", "sha256:APT", created="2026-12-03T00:00:00Z", version="3.3.1")
    history = [  # newest first
        {"CreatedBy": "RUN dags # buildkit", "Size": 1},
        {"CreatedBy": "RUN apt # buildkit", "Size": 1},
        {"CreatedBy": "", "Size": 100},
    ]
    comparison = compare_images("a", first, history, "b", second)
    assert [layer.step for layer in comparison.layers] == [
        "(a layer of the base image)", "RUN apt", "RUN dags",
    ]  # fmt: skip
    assert [layer.same for layer in comparison.layers] == [True, False, False]
    assert comparison.layers[2].second == ""  # the second image has no third layer
    assert comparison.config == (
        ("Created", "2026-12-02T12:24:22Z", "2026-12-03T00:00:00Z"),
        ("label version", "3.3.2", "3.3.1"),
    )
    assert comparison.summary() == "1 of 3 layers identical, 2 config fields differ"
    assert not comparison.same_files


def test_every_aspect_of_an_entry_is_compared_and_a_folder_time_named_apart() -> None:
    first = {"/a": _file("x"), "/b": _file(mtime=1), "/c": _file(mode=0o600), "/d": _dir(1)}
    second = {"/a": _file("y"), "/b": _file(mtime=2), "/c": _file(), "/d": _dir(2), "/e": _file()}
    assert entry_differences(first, second) == (
        Difference("/a", "content"),
        Difference("/b", "modification time"),
        Difference("/c", "mode"),
        Difference("/d", FOLDER_TIME),
        Difference("/e", "only in the second"),
    )
    assert same_files([Difference("/d", FOLDER_TIME)])
    assert not same_files([Difference("/b", "modification time")])


def test_whiteouts_and_opaque_folders_remove_what_the_layers_below_had() -> None:
    state: dict[str, EntryFacts] = {}
    apply_layer(state, {"/var": _dir(), "/var/log": _dir(), "/var/log/dpkg.log": _file()})
    apply_layer(state, {"/etc": _dir(), "/etc/x": _file(), "/etc/x/y": _file()})
    apply_layer(
        state,
        {
            "/var/log/.wh.dpkg.log": WHITEOUT,
            "/etc/.wh..wh..opq": WHITEOUT,
            "/etc/new": _file("n"),
        },
    )
    assert sorted(state) == ["/etc", "/etc/new", "/var", "/var/log"]


def test_a_layer_written_as_another_archive_has_the_same_files() -> None:
    """The classic store lists an unchanged parent folder and an opaque marker; the
    containerd store does not: the file systems after the layer are the same."""
    base = {"/opt": _dir(), "/opt/venv": _dir()}
    classic = {"/opt": _dir(), "/opt/venv": _dir(), "/opt/venv/.wh..wh..opq": WHITEOUT}
    classic["/opt/venv/lib.py"] = _file("code")
    containerd = {"/opt/venv/lib.py": _file("code")}
    states: list[dict[str, EntryFacts]] = [dict(base), dict(base)]
    apply_layer(states[0], classic)
    apply_layer(states[1], containerd)
    assert states[0] == states[1]
    assert state_differences(states[0], states[1], (set(classic), set(containerd))) == ()


def test_a_folder_time_is_the_stores_way_only_where_one_layer_left_the_folder_out() -> None:
    first = {"/tmp": _dir(1), "/var": _dir(1)}
    second = {"/tmp": _dir(2), "/var": _dir(2)}
    written = ({"/tmp", "/var"}, {"/var"})  # the second layer has no /tmp entry
    assert state_differences(first, second, written) == (
        Difference("/tmp", FOLDER_TIME),
        Difference("/var", "modification time"),
    )


def test_explanations_group_by_cause_with_a_few_paths() -> None:
    differences = [Difference(f"/p/{i}.pyc", "content") for i in range(7)]
    differences.append(Difference("/etc/shadow", "content"))
    lines = explain(differences)
    assert lines[0].startswith("7 x bytecode content")
    assert lines[0].endswith("/p/0.pyc, /p/1.pyc, /p/2.pyc, /p/3.pyc, /p/4.pyc, ...")
    assert lines[1].startswith("1 x content (the step wrote other bytes")


def test_steps_come_from_the_history_when_they_add_up_to_the_layers() -> None:
    history = [  # newest first, as the engine lists it
        {"CreatedBy": "LABEL a=b", "Size": 0},
        {"CreatedBy": "RUN |2 A=1 B=x y /bin/bash -o pipefail -c install.sh # buildkit", "Size": 0},
        {"CreatedBy": "COPY /opt/venv /opt/venv # buildkit", "Size": 5},
        {"CreatedBy": "", "Size": 100},
    ]
    assert layer_steps(history, 3) == (
        "(a layer of the base image)",
        "COPY /opt/venv /opt/venv",
        "RUN install.sh",
    )
    assert layer_steps(history, 4) == ("layer 1", "layer 2", "layer 3", "layer 4")

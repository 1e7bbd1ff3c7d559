"""`breeze dags check` as data: the script run in the image, its report read, JSON and JUnit out."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from breeze.core.errors import BreezeError
from breeze.core.image_params import ImageSpec

# Airflow's default [core] dagbag_import_timeout: a file slower than this fails in the processor
DEFAULT_IMPORT_TIMEOUT = 30.0
DAGS_TARGET = "/opt/airflow/dags"
REPORT_MARKER = "==== breeze: dag report follows ===="

# Run with the image's python, as the image's user, the DAG folder mounted read-only at DAGS_TARGET.
# Each file that Airflow's safe mode would parse is imported in a DagBag of its own (no database
# needed), timed, and reported as one JSON object.
CHECK_SCRIPT = f"""
import inspect, json, pathlib, time
try:
    from airflow.dag_processing.dagbag import DagBag  # Airflow 3.1 and later
except ImportError:
    from airflow.models.dagbag import DagBag
accepted = inspect.signature(DagBag).parameters
quiet = {{"include_examples": False}} if "include_examples" in accepted else {{}}

root = pathlib.Path({DAGS_TARGET!r})
report = []
for path in sorted(root.rglob("*.py")):
    name = path.relative_to(root).as_posix()
    text = path.read_text(errors="replace").lower()
    if "airflow" not in text or "dag" not in text:
        report.append({{"file": name, "skipped": True}})
        continue
    started = time.monotonic()
    bag = DagBag(dag_folder=str(path), safe_mode=False, **quiet)
    seconds = time.monotonic() - started
    errors = list(bag.import_errors.values())
    report.append({{"file": name, "dags": sorted(bag.dag_ids), "seconds": round(seconds, 3),
                   "error": errors[0] if errors else None}})
print({REPORT_MARKER!r})
print(json.dumps(report))
"""


@dataclass(frozen=True)
class DagCheckParams:
    """Which DAG folder to check, in which image, and how to report."""

    dags_folder: Path | None = None  # None: dags/ of the working folder
    image: str | None = None  # None: the image the spec builds
    spec: ImageSpec = field(default_factory=ImageSpec)
    json: bool = False
    junit_xml: Path | None = None
    import_timeout: float = DEFAULT_IMPORT_TIMEOUT


@dataclass(frozen=True)
class FileResult:
    """What importing one DAG file gave."""

    file: str
    dags: tuple[str, ...] = ()
    seconds: float = 0.0
    error: str | None = None  # the import error's last line
    line: int | None = None  # where in the file the error was raised
    missing_module: str | None = None  # the package the image lacks ('airflow': a module of it)
    skipped: bool = False  # no DAG in it, as Airflow's safe mode sees it
    slow: bool = False  # took longer than the import timeout

    @property
    def failed(self) -> bool:
        """An import error, or slower than Airflow allows."""
        return self.error is not None or self.slow

    def describe(self) -> str:
        """One line for the table."""
        if self.skipped:
            return "no DAG (Airflow skips files that do not mention both 'airflow' and 'dag')"
        if self.error is not None:
            where = f" (line {self.line})" if self.line else ""
            hint = ""
            if self.missing_module == "airflow":
                hint = "; this Airflow has no such module (moved or removed: see ruff's AIR3 rules)"
            elif self.missing_module:
                package = self.missing_module
                hint = f"; the image lacks it: add it with --additional-python-deps {package}"
            return f"{self.error}{where}{hint}"
        if not self.dags:
            return "imports, but defines no DAG"
        slow = f" ({self.seconds:.1f} s: slower than the import timeout)" if self.slow else ""
        return f"{', '.join(self.dags)}{slow}"


_FILE_LINE_RE = re.compile(r'File "([^"]+)", line (\d+)')
_MISSING_RE = re.compile(r"No module named '([^'.]+)")


def parse_report(output: str, import_timeout: float) -> list[FileResult]:
    """The container's output (log lines, the marker, one JSON line) as results per file."""
    if REPORT_MARKER not in output:
        last = [line for line in output.splitlines() if line.strip()][-1:] or ["no output"]
        raise BreezeError(f"the DAG check did not finish in the image: {last[0]}")
    data = json.loads(output.split(REPORT_MARKER, 1)[1].strip().splitlines()[0])
    return [_result(item, import_timeout) for item in data]


def _result(item: dict[str, object], import_timeout: float) -> FileResult:
    """One file's result from its JSON object."""
    file = str(item["file"])
    if item.get("skipped"):
        return FileResult(file, skipped=True)
    seconds = float(item.get("seconds") or 0.0)  # type: ignore[arg-type]
    dags = tuple(str(d) for d in item.get("dags") or ())  # type: ignore[union-attr]
    error = item.get("error")
    if not error:
        return FileResult(file, dags, seconds, slow=seconds > import_timeout)
    text = str(error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    in_file = [int(n) for path, n in _FILE_LINE_RE.findall(text) if path.endswith(f"/{file}")]
    missing = _MISSING_RE.search(text)
    return FileResult(
        file,
        dags,
        seconds,
        error=lines[-1] if lines else "import error",
        line=in_file[-1] if in_file else None,
        missing_module=missing.group(1) if missing else None,
    )


def to_json(image: str, results: list[FileResult]) -> str:
    """The results as one JSON document."""
    files = [{**asdict(r), "failed": r.failed} for r in results]
    return json.dumps({"image": image, "files": files}, indent=2)


def to_junit(image: str, results: list[FileResult]) -> str:
    """The results as JUnit XML: a test case per DAG file, failed when it does not import."""
    from xml.etree import ElementTree

    suite = ElementTree.Element(
        "testsuite",
        name=f"breeze dags check ({image})",
        tests=str(len(results)),
        failures=str(sum(r.failed for r in results)),
        skipped=str(sum(r.skipped for r in results)),
        time=f"{sum(r.seconds for r in results):.3f}",
    )
    for result in results:
        case = ElementTree.SubElement(
            suite, "testcase", classname="dags", name=result.file, time=f"{result.seconds:.3f}"
        )
        if result.skipped:
            ElementTree.SubElement(case, "skipped", message=result.describe())
        elif result.failed:
            failure = ElementTree.SubElement(case, "failure", message=result.describe())
            failure.text = result.error or result.describe()
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"

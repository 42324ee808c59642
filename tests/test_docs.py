"""The docs stay true: every test the hazard log names exists, and the README gives the two
commands that CI runs."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def test_hazard_log_names_only_existing_tests():
    """Each `tests/...py` and `::name` cited as a control's test exists."""
    log = (ROOT / "docs" / "safety" / "hazard-log.md").read_text()
    cited = re.findall(r"`(tests/[\w/]+\.py)((?:::\w+)?)`", log)
    assert cited, "the hazard log cites no tests"
    for path, name in cited:
        assert (ROOT / path).exists(), path
        if name:
            assert name[2:] in _test_names(ROOT / path), f"{path}{name}"
    # Shorthand `::name` after a cited file refers to that same file.
    for row in log.splitlines():
        current = None
        for path, name in re.findall(r"`(tests/[\w/]+\.py)?(::\w+)`", row):
            current = path or current
            if current:
                assert name[2:] in _test_names(ROOT / current), f"{current}{name}"


def test_readme_gives_the_two_commands_ci_runs():
    """README's two commands come first, and .ci/run calls the README's test command."""
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert readme.index("make run") < readme.index("## Demo logins")
    assert "make test" in (ROOT / ".ci" / "run").read_text()

"""What editors and CI rely on: PR annotations, editor schemas, and the GitHub kit's files."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT
from sitedata.registry import COLLECTIONS, SCHEMA_DIR
from sitedata.schema import Schemas

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


@pytest.mark.process
def test_validate_prints_github_annotations_on_actions(project):
    project.replace("data/outcomes/ai-dialogue.yaml", "status: in-progress", "status: done")
    result = project.validate_cli(GITHUB_ACTIONS="true")
    assert result.returncode == 1
    plain = [line for line in result.stderr.splitlines() if line.startswith("data/")]
    notes = [line for line in result.stderr.splitlines() if line.startswith("::error ")]
    assert len(plain) == len(notes) == 1
    path, line, col, message = plain[0].split(":", 3)
    assert notes[0] == (f"::error file={path},line={line},col={col},title=Data error::"
                        f"{message.strip()}")
    assert "is not one of announced, in-progress, delivered, stalled" in notes[0]


@pytest.mark.process
def test_no_annotations_outside_actions(project):
    project.replace("data/outcomes/ai-dialogue.yaml", "status: in-progress", "status: done")
    assert "::error" not in project.validate_cli(GITHUB_ACTIONS="").stderr


@pytest.mark.parametrize("collection", COLLECTIONS, ids=lambda c: c.name)
def test_every_data_file_names_its_schema_for_editors(collection):
    target = ROOT / collection.path
    files = sorted(target.glob("*.yaml")) if collection.is_dir else [target]
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = MODELINE.match(first)
        assert match, f"{path.relative_to(ROOT)}: line 1 must be the yaml-language-server modeline"
        schema = (path.parent / match.group(1)).resolve()
        assert schema == ROOT / SCHEMA_DIR / collection.schema, \
            f"{path.relative_to(ROOT)} names {schema}"


@pytest.mark.parametrize("collection", COLLECTIONS, ids=lambda c: c.name)
def test_each_schema_is_a_tracked_file_the_validator_uses(collection):
    path = ROOT / SCHEMA_DIR / collection.schema
    assert path.name.endswith(".schema.json") and path.is_file()
    assert Schemas(ROOT).bundled(collection.schema)["title"]


def _yaml(rel: str):
    return yaml.safe_load((ROOT / rel).read_text(encoding="utf-8"))


def test_issue_forms_and_templates_exist():
    for form in ("report-an-error.yml", "suggest-a-source.yml"):
        data = _yaml(f".github/ISSUE_TEMPLATE/{form}")
        assert data["name"] and data["body"]
        assert all(item.get("validations", {}).get("required") for item in data["body"]
                   if item["type"] != "checkboxes")
    template = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert "make validate" in template and "- [ ]" in template


def test_dependabot_covers_pip_and_actions():
    ecosystems = {u["package-ecosystem"] for u in _yaml(".github/dependabot.yml")["updates"]}
    assert {"pip", "github-actions"} <= ecosystems


def test_pre_commit_runs_the_validator():
    hooks = [h for repo in _yaml(".pre-commit-config.yaml")["repos"] for h in repo["hooks"]]
    assert any(h.get("entry") == "make validate" for h in hooks)
    assert any(h["id"] == "check-yaml" for h in hooks)


def test_workflows_are_hardened():
    workflow = _yaml(".github/workflows/ci.yml")
    text = (ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert workflow["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in text
    for uses in re.findall(r"uses:\s*(\S+)", text):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), uses
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, job_name
            assert "${{" not in step.get("run", ""), f"{job_name}: expression inside run:"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert workflow["jobs"]["build-pages"]["needs"] == ["test"]


# What CI runs, in order: every make target .ci/run calls.
CI_TARGETS = ["validate", "lint", "engines", "test"]


def test_ci_is_defined_once_in_ci_run():
    """The workflow checks a change by running .ci/run and nothing else, so a green .ci/run is a
    green workflow; the Pages jobs only build and deploy what those checks passed."""
    workflow = _yaml(".github/workflows/ci.yml")
    runs = {name: [step["run"].strip() for step in job["steps"] if "run" in step]
            for name, job in workflow["jobs"].items()}
    assert runs.pop("test") == [".ci/run"]
    assert runs == {"build-pages": ["make build"], "deploy": []}
    assert workflow["jobs"]["test"]["container"].startswith("python:3.11-")
    assert workflow["jobs"]["build-pages"]["needs"] == ["test"]
    checkout = next(step for step in workflow["jobs"]["build-pages"]["steps"]
                    if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the pages' dates come from git history
    script = (ROOT / ".ci/run").read_text(encoding="utf-8")
    commands = [line.split("#", 1)[0].strip() for line in script.splitlines()]
    assert [c.split()[1] for c in commands if c.startswith("make ")] == CI_TARGETS
    assert all(c == f"make {c.split()[1]}" for c in commands if c.startswith("make "))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in CI_TARGETS:
        assert re.search(rf"^{target}: .*## ", makefile, re.M), f"make {target} is not a target"
    assert (ROOT / ".ci/run").stat().st_mode & 0o111, ".ci/run must be executable"


def test_ci_run_installs_what_the_container_lacks():
    script = (ROOT / ".ci/run").read_text(encoding="utf-8")
    for package in ("make", "nodejs", "npm", "chromium", "fonts-noto-cjk"):
        assert f"missing+=({package})" in script, package
    assert "apt-get install -y -qq \"${missing[@]}\"" in script
    assert "as_root=(sudo)" in script  # not root: through sudo


def test_the_dataset_has_a_citation_file():
    cff = _yaml("CITATION.cff")
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["title"] and cff["authors"] and cff["license"] == "CC-BY-4.0"

"""`make bench` measures copies of the data multiplied 10 and 100 times: they must be valid copies
of every collection, or the figures time the error path instead of the work."""

from __future__ import annotations

from conftest import ROOT
from sitedata import validate
from sitedata.registry import COLLECTIONS
from tools.bench import multiply


def test_the_multiplied_data_is_valid_and_copies_every_collection(tmp_path):
    real = validate(ROOT)
    multiply(tmp_path, 2)
    copy = validate(tmp_path)
    assert [str(p) for p in copy.report.sorted()] == []
    for collection in COLLECTIONS:
        wanted = 1 if collection.layout == "single" else 2 * len(real.records[collection.name])
        assert len(copy.records[collection.name]) == wanted, collection.name
    visit, = copy.records["visit"]
    assert len(visit.data["itinerary"]) == 2 * len(real.records["visit"][0].data["itinerary"])

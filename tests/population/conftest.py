import pytest

from outreach.population.data import load
from outreach.population.engines import connect
from tests.population.spec import spec_region


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory):
    region, expect = spec_region()
    return region.write(tmp_path_factory.mktemp("spec")), expect


@pytest.fixture(scope="module")
def spec_duckdb(spec_dir):
    path, expect = spec_dir
    return load(path, connect("duckdb")), expect

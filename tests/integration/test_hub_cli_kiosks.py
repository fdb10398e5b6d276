"""`python -m kiosk hub kiosks` names each kiosk's station's province, or says it is not set."""

from click.testing import CliRunner

from kiosk.cli import main


def test_the_kiosk_list_names_each_stations_province(tmp_path):
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "hub")]
    for args in (
        ["k1", "--station", "changhan", "--province", "ร้อยเอ็ด"],
        ["k2", "--station", "changhan"],
        ["k3", "--station", "muang", "--province", "Khon Kaen"],
        ["k4", "--station", "nowhere"],
    ):
        added = runner.invoke(main, ["hub", "add-kiosk", *args, *data])
        assert added.exit_code == 0, added.output
    listed = runner.invoke(main, ["hub", "kiosks", *data])
    assert listed.exit_code == 0, listed.output
    lines = {line.split("\t")[0]: line for line in listed.output.splitlines()}
    assert "\tprovince Roi Et (ร้อยเอ็ด)\t" in lines["k1"]
    assert "\tprovince Roi Et (ร้อยเอ็ด)\t" in lines["k2"]  # the station's, set with k1
    assert "\tprovince Khon Kaen (ขอนแก่น)\t" in lines["k3"]
    assert "\tprovince not set\t" in lines["k4"]

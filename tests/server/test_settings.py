"""Server settings: a flag beats the environment, which beats the --config file, which
beats the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskterm.cli.main import main
from deskterm.domain.errors import InvalidInput
from deskterm.server.settings import load


def test_a_flag_beats_the_environment_beats_the_file_beats_the_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "server.toml"
    config.write_text('port = 9000\nhost = "0.0.0.0"\nmax_body_bytes = 1024\n')
    monkeypatch.setenv("DESKTERM_SERVER_PORT", "9001")
    monkeypatch.setenv("DESKTERM_SERVER_HOST", "10.0.0.1")
    settings = load(config, port=9002)
    assert (settings.port, settings.host, settings.max_body_bytes, settings.pool_size) \
        == (9002, "10.0.0.1", 1024, 10)
    monkeypatch.delenv("DESKTERM_SERVER_HOST")
    assert load(config).host == "0.0.0.0"


def test_a_wrong_setting_names_itself(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text("port = 0\n")
    with pytest.raises(InvalidInput, match="port"):
        load(config)
    config.write_text("prot = 80\n")
    with pytest.raises(InvalidInput, match="prot"):
        load(config)
    with pytest.raises(InvalidInput, match="does not exist"):
        load(tmp_path / "missing.toml")


def test_server_commands_read_the_database_url_from_the_config_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "server.toml"
    config.write_text(f'database_url = "sqlite:///{tmp_path / "from-file.db"}"\n')
    assert main(["server", "migrate", "--config", str(config)]) == 0
    assert "created the server database" in capsys.readouterr().out
    assert (tmp_path / "from-file.db").exists()

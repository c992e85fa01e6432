"""The server's settings, in one typed object: defaults, a TOML file, the environment, flags.

Each setting is read, from strongest to weakest, from a command-line flag, then an
environment variable `DESKTERM_SERVER_<NAME>` (`DESKTERM_SERVER_DATABASE_URL`,
`DESKTERM_SERVER_PORT`, ...), then the TOML file given with `--config FILE` (top-level
keys named as the fields below), then the default here. Nothing else in the server reads
the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from deskterm import locations
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _

ENV_PREFIX = "DESKTERM_SERVER_"


class Settings(BaseSettings):
    """Everything a server instance can be told; see the module docstring for precedence."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid",
                                      validate_default=True)

    database_url: str = Field(default="", description="sqlite:///FILE or "
                              "postgresql+psycopg://USER@HOST/DB; empty: server.db in the "
                              "user data directory")
    host: str = Field(default="127.0.0.1", description="address to listen on")
    port: int = Field(default=8765, gt=0, lt=65536, description="port to listen on")
    max_body_bytes: int = Field(default=4 * 1024 * 1024, gt=0,
                                description="largest request body accepted")
    heartbeat_seconds: float = Field(default=15.0, gt=0,
                                     description="a comment line on idle event streams")
    pool_size: int = Field(default=10, gt=0, description="database connections kept open")
    max_overflow: int = Field(default=20, ge=0,
                              description="connections opened beyond the pool at peaks")
    log_level: str = Field(default="info", pattern="^(critical|error|warning|info|debug)$")

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file comes from model_config["toml_file"], which `load` sets per call.
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)

    @property
    def resolved_database_url(self) -> str:
        """The database URL, or the embedded SQLite file in the user data directory."""
        return self.database_url or f"sqlite:///{locations.data_dir() / 'server.db'}"


def load(config_file: Path | str | None = None, **flags: Any) -> Settings:
    """Settings from `flags` (those not None), the environment, `config_file`, defaults.

    A setting the file or the environment gets wrong is an InvalidInput naming it.
    """
    from pydantic import ValidationError

    given = {name: value for name, value in flags.items() if value is not None}
    path = Path(config_file) if config_file is not None else None
    if path is not None and not path.is_file():
        raise InvalidInput(_("the server config file {path} does not exist").format(path=path))

    class FromFile(Settings):
        model_config = SettingsConfigDict(toml_file=path)

    try:
        return FromFile(**given)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        variable = f"{ENV_PREFIX}{where.upper()}"
        source = _(" (in {path} or {variable})").format(path=path, variable=variable) \
            if path else _(" (or {variable})").format(variable=variable)
        raise InvalidInput(_("server setting {where}{source}: {problem}").format(
            where=where, source=source, problem=first["msg"])) from None
    except ValueError as error:  # a TOML file that does not parse
        raise InvalidInput(_("cannot read the server config file {path}: {error}").format(
            path=path, error=error)) from None

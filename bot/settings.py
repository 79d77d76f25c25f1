"""One typed settings object, read from the environment and ``.env``.

Every field here is documented in ``.env.example`` and the README's settings table (a test keeps
the three in step). A malformed value stops start-up with one line naming the setting.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.store.database import DatabaseUrlError, async_url

DEFAULT_DATABASE_URL = "sqlite:///./data/stepup.db"

# Values copied from .env.example that must never run outside development.
PLACEHOLDER_MARKERS = ("changeme", "your-", "xoxb-your", "xapp-your", "sk-your", "placeholder")


class SettingsError(ValueError):
    """A setting is malformed; the message is one line naming the setting."""


class Settings(BaseSettings):
    """Step Up's settings. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    environment: Literal["development", "production"] = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(default=3978, ge=1, le=65535)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    teams_client_id: str | None = None
    teams_client_secret: SecretStr | None = None
    teams_tenant_id: str | None = None
    teams_dev_unauthenticated: bool = False

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    coach: Literal["auto", "offline", "openai"] = "auto"
    llm_timeout_s: float = Field(default=8.0, gt=0, le=120)

    encryption_key: SecretStr | None = None
    default_timezone: str = "America/Chicago"
    eap_contact: str | None = None
    nudge_grace_hours: float = Field(default=6, gt=0)

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "teams_client_id",
        "teams_client_secret",
        "teams_tenant_id",
        "openai_api_key",
        "openai_base_url",
        "encryption_key",
        "eap_contact",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `FOO=` in a .env file means "not set", not "set to the empty string".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        try:
            async_url(value)
        except DatabaseUrlError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r}: use an IANA name such as America/Chicago"
            ) from None
        return value

    @field_validator("slack_api_url", "openai_base_url")
    @classmethod
    def _check_http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        if value is not None and not value.endswith("/"):
            value += "/"
        return value

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "development":
            return self
        if self.teams_dev_unauthenticated:
            raise ValueError(
                "TEAMS_DEV_UNAUTHENTICATED accepts unauthenticated Teams requests: it is for "
                "development only; unset it (or set ENVIRONMENT=development)"
            )
        for name, value in self._secret_values().items():
            if value and any(marker in value.lower() for marker in PLACEHOLDER_MARKERS):
                raise ValueError(f"{name.upper()} still holds the placeholder from .env.example")
        return self

    def _secret_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                values[name] = value.get_secret_value()
        return values

    @cached_property
    def timezone(self) -> ZoneInfo:
        """The default timezone for people whose own timezone is unknown."""
        return ZoneInfo(self.default_timezone)

    @property
    def slack_configured(self) -> bool:
        """True when a single-workspace or OAuth Slack app is configured."""
        single = self.slack_bot_token is not None and self.slack_signing_secret is not None
        oauth = self.slack_client_id is not None and self.slack_client_secret is not None
        return single or oauth or self.slack_app_token is not None

    @property
    def teams_configured(self) -> bool:
        """True when the Teams surface should be mounted."""
        return self.teams_client_id is not None or self.teams_dev_unauthenticated


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation error into one line naming the setting.

    Raises:
        SettingsError: A value is malformed.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first.get("loc") or ()
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        if loc:
            message = f"{str(loc[0]).upper()}: {message}"
        raise SettingsError(message) from None

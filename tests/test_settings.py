import re

import pytest

from bot.settings import Settings, SettingsError, load_settings
from tests.paths import REPO_ROOT


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite:///./data/stepup.db"
    assert settings.coach == "auto"
    assert not settings.slack_configured
    assert not settings.teams_configured


@pytest.mark.parametrize(
    ("env", "setting", "reason"),
    [
        ({"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL", "unsupported database"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL", "cannot parse"),
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE", "unknown timezone"),
        ({"PORT": "eighty"}, "PORT", "integer"),
        ({"PORT": "70000"}, "PORT", "less than or equal"),
        ({"COACH": "gpt"}, "COACH", "auto"),
        ({"LLM_TIMEOUT_S": "-1"}, "LLM_TIMEOUT_S", "greater than 0"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL", "not an http(s) URL"),
    ],
)
def test_malformed_value_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], setting: str, reason: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{setting}: ")
    assert reason in message
    assert "\n" not in message


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "changeme")
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET still holds the placeholder"):
        load_settings()


def test_production_refuses_unauthenticated_teams(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingsError, match="TEAMS_DEV_UNAUTHENTICATED") as caught:
        load_settings(environment="production", teams_dev_unauthenticated=True)
    assert "\n" not in str(caught.value)
    assert load_settings(environment="development", teams_dev_unauthenticated=True).teams_configured


def test_development_accepts_any_secret_and_blank_means_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "changeme")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    settings = load_settings()
    assert settings.slack_bot_token is None
    assert settings.slack_signing_secret is not None
    assert settings.slack_signing_secret.get_secret_value() == "changeme"
    assert "changeme" not in repr(settings)


def test_env_file_is_read(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / ".env").write_text("DEFAULT_TIMEZONE=Pacific/Auckland\nPORT=4000\n")
    monkeypatch.chdir(folder)
    settings = load_settings()
    assert settings.default_timezone == "Pacific/Auckland"
    assert settings.port == 4000


def _setting_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def test_every_setting_is_documented_in_env_example() -> None:
    text = (REPO_ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert documented == _setting_names()


def test_every_setting_is_in_the_readme_settings_table() -> None:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", section, flags=re.MULTILINE))
    assert rows == _setting_names()


def test_design_contract_settings_all_exist() -> None:
    contract = {
        "DATABASE_URL", "HOST", "PORT", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_API_URL",
        "TEAMS_CLIENT_ID", "TEAMS_CLIENT_SECRET", "TEAMS_TENANT_ID", "TEAMS_DEV_UNAUTHENTICATED",
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "COACH", "LLM_TIMEOUT_S",
        "ENCRYPTION_KEY", "DEFAULT_TIMEZONE", "EAP_CONTACT",
    }  # fmt: skip
    assert contract <= _setting_names()

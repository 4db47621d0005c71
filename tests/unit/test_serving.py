"""The production server's access log never records a survey token."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from cms.serving import RedactingLogger, redact

TOKEN = "Zk3-abc_DEF123ghiJKL456mno789pqrSTU0vwxYZ12345"
CONF = Path(__file__).resolve().parents[2] / "cms" / "gunicorn.conf.py"


def test_redact_takes_tokens_out_of_paths_and_referrers():
    assert redact(f"GET /s/{TOKEN}/?lang=de HTTP/1.1") == "GET /s/…/?lang=de HTTP/1.1"
    assert redact(f"https://surveys.example.com/s/{TOKEN}/thanks/") == (
        "https://surveys.example.com/s/…/thanks/"
    )
    assert redact("/admin/results/heatmap/?wave=3") == "/admin/results/heatmap/?wave=3"


def test_the_access_log_has_no_token(tmp_path):
    settings = runpy.run_path(str(CONF))
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", settings["access_log_format"])
    config.set("logger_class", settings["logger_class"])
    logger = config.logger_class(config)
    assert isinstance(logger, RedactingLogger)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/s/{TOKEN}/",
        "PATH_INFO": f"/s/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"https://surveys.example.com/s/{TOKEN}/?lang=en",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text()
    assert '"POST /s/…/ HTTP/1.1" 302' in line
    assert "https://surveys.example.com/s/…/?lang=en" in line
    assert TOKEN not in line

"""The web pages for adjudicators, analysts and auditors, served by the API's own app (no build step).

Each page is a body fragment in static/pages/ wrapped in one shared layout (nav bar, stylesheet); the
fragments are Jinja templates that import the pieces several pages show (the place picker, the as-of date,
list cards) from static/pages/_parts.html. The pages talk to /api/v1 from plain ES modules in static/js/. The graph library comes from the npm registry
(`npm ci --prefix api/web`) and is served from node_modules under /static/vendor, never from a CDN; when
it is missing the pages still work and the graph panel says how to install it.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from api.web.problems import ProblemError

HERE = Path(__file__).parent
STATIC = HERE / "static"
NODE_MODULES = HERE / "node_modules"

# Files the pages may load from node_modules: public name -> path inside node_modules.
VENDOR: dict[str, str] = {"cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
                          "chart.umd.min.js": "chart.js/dist/chart.umd.min.js"}

# (path, fragment, title, nav key); the nav shows these in this order.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("/", "search", "检索", "search"),
    ("/gaps", "gaps", "空白发现", "gaps"),
    ("/trace", "trace", "审计追溯", "trace"),
    ("/disputes", "disputes", "争议案件", "disputes"),
)

LAYOUT = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 职责分工裁决辅助系统</title>
<link rel="stylesheet" href="/static/css/app.css">
<link rel="icon" href="data:,">
</head>
<body data-page="{page}">
<a class="skip" href="#main">跳到正文</a>
<header class="topbar">
  <a class="brand" href="/">职责分工裁决辅助系统</a>
  <nav aria-label="主导航"><ul>{nav}</ul></nav>
</header>
<main id="main" tabindex="-1">
{body}
</main>
<footer class="foot">dutygraph · 数据来自知识图谱，每一项结论均可追溯到依据 · <a href="/docs">API 文档</a></footer>
<script type="module" src="/static/js/{page}.js"></script>
</body>
</html>
"""


# Fragments are trusted files of this package; autoescape still guards the values macros are called with.
_FRAGMENTS = Environment(loader=FileSystemLoader(STATIC / "pages"), autoescape=True, undefined=StrictUndefined,
                         keep_trailing_newline=True)


@lru_cache(maxsize=16)
def _fragment(name: str) -> str:
    return _FRAGMENTS.get_template(f"{name}.html").render()


def render(fragment: str, title: str, current: str) -> str:
    """One page: the fragment inside the shared layout, the current nav item marked for screen readers."""
    mark = ' aria-current="page"'
    nav = "".join(f'<li><a href="{path}"{mark if key == current else ""}>{html.escape(label)}</a></li>'
                  for path, _, label, key in PAGES)
    return LAYOUT.format(title=html.escape(title), page=fragment, nav=nav, body=_fragment(fragment))


def mount(app: FastAPI) -> None:
    """Add the pages, /static and /static/vendor to the app (called by create_app)."""

    def page(fragment: str, title: str, key: str):
        async def handler() -> HTMLResponse:
            return HTMLResponse(render(fragment, title, key))

        handler.__name__ = f"page_{fragment}"
        return handler

    for path, fragment, title, key in PAGES:
        app.add_api_route(path, page(fragment, title, key), methods=["GET"], include_in_schema=False,
                          response_class=HTMLResponse)

    @app.get("/disputes/{dispute_id}", include_in_schema=False, response_class=HTMLResponse)
    async def page_dispute(dispute_id: str) -> HTMLResponse:
        return HTMLResponse(render("dispute", "争议案件", "disputes"))

    @app.get("/static/vendor/{name}", include_in_schema=False)
    async def vendor(name: str) -> FileResponse:
        rel = VENDOR.get(name)
        path = NODE_MODULES / rel if rel else None
        if path is None or not path.is_file():
            raise ProblemError(404, "Not Found", f"{name} is not installed; run `npm ci --prefix api/web`", "vendor")
        return FileResponse(path, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

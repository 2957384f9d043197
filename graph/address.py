"""Which place inside a jurisdiction an address names: a county or district, and the town or street.

A hotline order's address (安平街道人民路公园, 任城区古槐路) narrows the place it is dispatched in: the
city, county or district under the asked place is where its departments sit (graph.divisions knows every county even
when the graph holds none of its statutes), and the town or street (a Jurisdiction the graph holds, with
its office as a township Department) is the body with the territorial duty (属地). Names are matched in
full (安平街道) and without their suffix (安平) where that short form still has two characters.
"""

from __future__ import annotations

from pydantic import BaseModel

from graph.divisions import divisions
from graph.places import Place, contains, name_of, place_id
from graph.store.base import GraphStore

_TOWN_SUFFIXES = ("街道办事处", "街道", "镇", "乡")
_TOWNS = """
MATCH (j:Jurisdiction) WHERE j.id STARTS WITH $below
OPTIONAL MATCH (d:Department {kind: 'township'}) WHERE d.jurisdiction = j.id
RETURN j.id AS id, j.name AS name, collect(d.id)[0] AS office_id, collect(d.name)[0] AS office
"""


class AddressPlace(BaseModel):
    """Where an address lies under the asked place; empty fields where it names nothing more precise."""

    place: str = ""
    place_name: str = ""
    township: str = ""
    township_name: str = ""
    office_id: str = ""
    office: str = ""


class AddressPlaces:
    """The towns, streets and counties under one place, matched against addresses (built once per file)."""

    def __init__(self, store: GraphStore, place: Place):
        self.place = place
        self._towns: list[tuple[str, dict]] = []  # (form, row), longest form first
        for r in store.read(_TOWNS, {"below": place.id + "/"}):
            if r["id"].count("/") <= place.id.count("/"):
                continue
            for form in _forms(r["name"] or name_of(r["id"])):
                self._towns.append((form, r))
        self._towns.sort(key=lambda f: -len(f[0]))
        # the cities, counties and districts under the place (a province's cities too), from the divisions table
        self._divisions: list[tuple[str, str]] = []  # (name, place id)
        chain = tuple(place.id.removeprefix("jur:").split("/")[1:])
        if chain:
            for d in divisions().divisions:
                if d.level in ("市", "县") and len(d.chain) > len(chain) and d.chain[: len(chain)] == chain:
                    self._divisions.append((d.name, place_id(d.chain)))

    def narrow(self, address: str, township: str = "") -> AddressPlace:
        """The most precise place the address (or a given town/street column) names under the asked place."""
        out = AddressPlace(place=self.place.id, place_name=self.place.name)
        for text in (township, address):
            if not text:
                continue
            county = self._division(text)
            if county and out.place == self.place.id:
                out.place, out.place_name = county, name_of(county)
            town = next((r for form, r in self._towns if form in text), None)
            if town and not out.township and (out.place == self.place.id or contains(out.place, town["id"])):
                out.township, out.township_name = town["id"], town["name"]
                out.office_id, out.office = town["office_id"] or "", town["office"] or ""
                parent = town["id"].rsplit("/", 1)[0]
                if parent != self.place.id and contains(self.place.id, parent):
                    out.place, out.place_name = parent, name_of(parent)
        return out


    def _division(self, text: str) -> str | None:
        """The deepest city or county the text names (济宁市任城区 → 任城区); None when it names none, or two
        different ones equally deep (市中区 is a district of several cities)."""
        found = {pid for name, pid in self._divisions if name in text}
        if not found:
            return None
        depth = max(pid.count("/") for pid in found)
        deepest = {pid for pid in found if pid.count("/") == depth}
        if len(deepest) == 1:
            return deepest.pop()
        # a county named twice: keep the one under the city the text also names
        under = {pid for pid in deepest if pid.rsplit("/", 1)[0] in found}
        return under.pop() if len(under) == 1 else None


def _forms(name: str) -> list[str]:
    """A town's full name and its short form (安平街道 → 安平), the short one only when still distinctive."""
    forms = [name]
    for suffix in _TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return forms

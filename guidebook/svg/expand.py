"""How much a (clean) SVG draws once its references are expanded, bounded before rendering.

A `<use>` draws a copy of what it names, and so do a pattern, marker, clip path, mask or filter
each time something is painted, clipped or filtered with it. References nest, so a few kilobytes
can ask for 10^7 copies: the PDF renderer then works for hours (it draws about 5,000 used copies
a second). Here the drawing is walked as the renderer would walk it, counting elements, and the
walk stops as soon as a limit is passed, so the check itself is bounded:

- more than MAX_ELEMENTS elements drawn in all (the file's own included; 50,000 plain shapes
  render in about 4 s), or
- references nested more than MAX_DEPTH deep (real drawings use two or three), or
- a reference back to itself or to something that contains it (the renderer would loop).

Paint references (`fill`, `stroke`, markers) are inherited, so a group filled with a pattern
paints it once per shape inside; a marker is drawn at every vertex of the path that carries it.
Gradients draw no elements and are not followed. Where the exact count is unclear the walk
counts more, never less.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

import cssselect2  # type: ignore[import-untyped]
from lxml import etree

from guidebook.svg import css
from guidebook.svg.allowed import SVG_NS, XLINK_NS, words
from guidebook.svg.clean import SvgProblem

MAX_ELEMENTS = 50_000
MAX_DEPTH = 8

INHERITED = ("fill", "stroke", "marker-start", "marker-mid", "marker-end")
NOT_INHERITED = ("clip-path", "mask", "filter")
PAINTED = words("path rect circle ellipse line polyline polygon text tspan textPath")
MARKED = words("path line polyline polygon")
# Drawn only where something refers to them.
REFERENCED_ONLY = words(
    "defs symbol pattern marker clipPath mask filter linearGradient radialGradient style title desc"
)
GRADIENTS = frozenset({"linearGradient", "radialGradient"})
FOLLOWS_HREF = words("use pattern feImage textPath filter")

_REF_PROPERTIES = frozenset((*INHERITED, *NOT_INHERITED, "marker"))

Element: TypeAlias = etree._Element
Refs = dict[str, tuple[str, ...]]  # property -> ids it names
Targets = dict[str, tuple[Element, ...]]  # property -> the elements those ids name
Frame = tuple[Element, Targets, tuple[Element, ...], bool]


def check_expansion(root: Element) -> None:
    """Raise SvgProblem if drawing `root` would expand beyond the limits."""
    _Expansion(root).run()


@dataclass(frozen=True)
class _Plan:
    """What visiting one element involves, worked out once however often it is drawn."""

    local: str
    inherits: Targets  # paint references it sets for itself and its content
    fixed: tuple[tuple[Element, bool], ...]  # (what it draws by reference, whether by <use>)
    children: tuple[Element, ...]


class _Expansion:
    def __init__(self, root: Element) -> None:
        self.root = root
        self.ids: dict[str, Element] = {}
        for element in root.iter():
            if (name := element.get("id")) is not None:
                self.ids.setdefault(name, element)
        self.declared = _declared_refs(root)
        self.plans: dict[Element, _Plan] = {}
        self.contexts: dict[Element, Targets] = {}
        self.vertices: dict[Element, int] = {}  # where a marker-mid is drawn
        self.count = 0

    def run(self) -> None:
        stack: list[Frame] = [(self.root, {}, (), False)]
        while stack:
            element, context, chain, referenced = stack.pop()
            self.count += 1
            if self.count > MAX_ELEMENTS:
                raise SvgProblem(
                    f"would draw more than {MAX_ELEMENTS:,} elements once its <use> and other "
                    "references are expanded, too many to print; simplify the drawing"
                )
            plan = self.plans.get(element) or self._plan(element)
            if plan.local in REFERENCED_ONLY and not referenced:
                continue
            if plan.inherits:
                context = {**context, **plan.inherits}
            for target, times, is_use in self._targets(element, plan, context):
                self._check_reference(element, target, chain)
                inside = {**context, **self._context_of(target)} if is_use else None
                frame = (target, inside or self._context_of(target), (*chain, target), True)
                stack.extend([frame] * min(times, MAX_ELEMENTS - self.count + 1))
            stack.extend((child, context, chain, False) for child in plan.children)

    def _targets(
        self, element: Element, plan: _Plan, context: Targets
    ) -> Iterator[tuple[Element, int, bool]]:
        """(referenced element, how many times it is drawn, whether it is a <use>)."""
        for target, is_use in plan.fixed:
            yield target, 1, is_use
        if plan.local in PAINTED:
            for prop in ("fill", "stroke"):
                for target in context.get(prop, ()):
                    yield target, 1, False
        if plan.local in MARKED:
            for prop in ("marker-start", "marker-end"):
                for target in context.get(prop, ()):
                    yield target, 1, False
            if mid := context.get("marker-mid"):
                if element not in self.vertices:
                    self.vertices[element] = _vertices(element, plan.local)
                for target in mid:
                    yield target, self.vertices[element], False

    def _plan(self, element: Element) -> _Plan:
        local = _local(element)
        own = self.declared.get(element)
        fixed: list[tuple[Element, bool]] = []
        inherits: Targets = {}
        if own:
            fixed += [(t, False) for p in NOT_INHERITED for t in self._resolve(own.get(p, ()))]
            inherits = {p: self._resolve(v) for p, v in own.items() if p in INHERITED}
        if local in FOLLOWS_HREF:
            href = element.get("href") or element.get(f"{{{XLINK_NS}}}href") or ""
            if href.startswith("#"):
                fixed += [(t, local == "use") for t in self._resolve((href[1:],))]
        children = tuple(child for child in reversed(element) if isinstance(child.tag, str))
        plan = _Plan(local, inherits, tuple(fixed), children)
        self.plans[element] = plan
        return plan

    def _resolve(self, names: tuple[str, ...]) -> tuple[Element, ...]:
        """The elements `names` refer to; gradients draw no elements and are left out."""
        found = (self.ids.get(name) for name in names)
        return tuple(t for t in found if t is not None and _local(t) not in GRADIENTS)

    def _check_reference(
        self, element: Element, target: Element, chain: tuple[Element, ...]
    ) -> None:
        if target in chain or target is element:
            name = target.get("id")
            raise SvgProblem(
                f"refers to itself (#{name} is drawn inside its own copy), which never ends; "
                "remove that reference"
            )
        if len(chain) >= MAX_DEPTH:
            raise SvgProblem(
                f"nests references (<use>, patterns, markers...) more than {MAX_DEPTH} deep; "
                "simplify the drawing"
            )

    def _context_of(self, element: Element) -> Targets:
        """The paint references `element` inherits from its own ancestors."""
        if element not in self.contexts:
            context: Targets = {}
            for ancestor in reversed(list(element.iterancestors())):
                plan = self.plans.get(ancestor) or self._plan(ancestor)
                context.update(plan.inherits)
            self.contexts[element] = context
        return self.contexts[element]


def _declared_refs(root: etree._Element) -> dict[etree._Element, Refs]:
    """Each element's url(#id) references by property: presentation attributes, then the
    style sheets' matching rules, then its style attribute (the cascade's order)."""
    declared: dict[etree._Element, Refs] = {}

    def add(element: etree._Element, prop: str, value: str) -> None:
        if "url" not in value.lower() and "\\" not in value:
            return  # the common case, without tokenising
        names = tuple(css.local_refs(value))
        if not names:
            return
        props = ("marker-start", "marker-mid", "marker-end") if prop == "marker" else (prop,)
        refs = declared.setdefault(element, {})
        for p in props:
            refs[p] = names

    matched = _stylesheet_matches(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for prop in _REF_PROPERTIES.intersection(element.attrib):
            add(element, prop, element.attrib[prop])
        for prop, value in matched.get(element, ()):
            add(element, prop, value)
        if (style := element.get("style")) is not None:
            for prop, value in css.declarations(style):
                add(element, prop, value)
    return declared


def _stylesheet_matches(root: etree._Element) -> dict[etree._Element, list[tuple[str, str]]]:
    """Declarations naming url(#id) that the file's own style sheets give each element."""
    matcher = cssselect2.Matcher()
    found = False
    for style in root.iter(f"{{{SVG_NS}}}style"):
        for prelude, declarations in css.rules(style.text or ""):
            refs = [(p, v) for p, v in declarations if css.local_refs(v)]
            if not refs:
                continue
            try:
                selectors = cssselect2.compile_selector_list(prelude)
            except cssselect2.SelectorError:
                continue  # the renderer cannot apply it either
            for selector in selectors:
                matcher.add_selector(selector, refs)
                found = True
    if not found:
        return {}
    matches: dict[etree._Element, list[tuple[str, str]]] = {}
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        for match in matcher.match(wrapper):
            matches.setdefault(wrapper.etree_element, []).extend(match[-1])
    return matches


def _local(element: etree._Element) -> str:
    tag: str = element.tag
    return tag[tag.find("}") + 1 :]


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _vertices(element: etree._Element, local: str) -> int:
    """An upper bound on the vertices a marker-mid is drawn at."""
    if local == "line":
        return 2
    data = element.get("d" if local == "path" else "points") or ""
    return max(1, sum(1 for _ in _NUMBER.finditer(data)))

"""Which elements of a page its own style sheets hide, as a browser's cascade decides it.

A page's <style> may hide text a reader never sees (`.hidden { display: none }` on an old notice, a
dismissed banner, a template): indexed, it answers questions with words the page does not show. The
rules are parsed with tinycss2 (CSS Syntax Level 3; BSD) and their selectors matched with cssselect
(lxml's own CSS-to-XPath translator; BSD). For each element, the declaration of `display` and of
`visibility` that wins the cascade (importance, then the inline style, then specificity, then order) decides.

Read: the page's <style> elements and its inline `style` attributes, rules at the top level of a sheet
(what a screen shows whatever its width: rules inside `@media` and other at-rules are left). A
selector with a state (":hover", ":checked") never matches, as on a page nobody is pointing at. Not read: linked
style sheets (another file, which the index does not read with this one) and `visibility: visible` set again on
a hidden element's child (its text is dropped with its parent).
"""

from __future__ import annotations

from dataclasses import dataclass

import cssselect
import tinycss2
from lxml import html

DECIDING = ("display", "visibility")  # the properties that hide an element
HIDING = {"display": {"none"}, "visibility": {"hidden", "collapse"}}
INLINE = (1, 0, 0, 0)  # an inline style outranks every selector (CSS Cascade 4, 6.2)
TRANSLATOR = cssselect.HTMLTranslator()


@dataclass(frozen=True)
class Declaration:
    """One declaration of a deciding property, with what ranks it in the cascade."""

    name: str
    value: str
    important: bool
    specificity: tuple[int, ...]  # (inline, ids, classes, types), CSS Selectors 4 section 17
    order: int  # its place in the page: a later one wins a tie

    @property
    def rank(self) -> tuple[bool, tuple[int, ...], int]:
        return self.important, self.specificity, self.order


def _declarations(content: list, specificity: tuple[int, ...], order: int) -> list[Declaration]:
    """The deciding declarations of a rule's block (or an inline style), lower-cased."""
    found = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration" and item.lower_name in DECIDING:
            value = tinycss2.serialize(item.value).strip().lower()
            found.append(Declaration(item.lower_name, value, item.important, specificity, order))
    return found


def _rules(tree: html.HtmlElement) -> list[tuple[str, list[Declaration]]]:
    """Each selector of the page's <style> rules that sets a deciding property, as XPath, with its declarations."""
    rules: list[tuple[str, list[Declaration]]] = []
    order = 0
    for style in tree.iter("style"):
        for rule in tinycss2.parse_stylesheet(style.text or "", skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule":
                continue  # an at-rule (@media, @font-face) or what CSS's parser could not read
            try:
                selectors = cssselect.parse(tinycss2.serialize(rule.prelude))
            except cssselect.SelectorError:
                continue  # a selector cssselect does not know: a browser drops the whole rule too
            for selector in selectors:
                order += 1
                if selector.pseudo_element:
                    continue  # "::before" styles generated content, not the element
                declarations = _declarations(rule.content, (0, *selector.specificity()), order)
                if declarations:
                    try:
                        rules.append((TRANSLATOR.selector_to_xpath(selector), declarations))
                    except cssselect.ExpressionError:
                        continue
    return rules


def hidden_by_style(tree: html.HtmlElement) -> list[html.HtmlElement]:
    """The elements whose winning `display` is "none" or whose winning `visibility` is "hidden" or "collapse",
    from the page's <style> rules and inline styles (an inline `display: block` shows what a rule hid), in
    document order. Raises nothing: CSS it cannot read is left, as a browser leaves it."""
    rules = _rules(tree)
    if not rules and not tree.xpath("//*[@style]"):
        return []
    winning: dict[html.HtmlElement, dict[str, Declaration]] = {}

    def consider(element: html.HtmlElement, declaration: Declaration) -> None:
        held = winning.setdefault(element, {})
        if declaration.name not in held or declaration.rank >= held[declaration.name].rank:
            held[declaration.name] = declaration

    for xpath, declarations in rules:
        for element in tree.xpath(xpath):
            for declaration in declarations:
                consider(element, declaration)
    for element in tree.xpath("//*[@style]"):
        content = tinycss2.parse_component_value_list(element.get("style"))
        for declaration in _declarations(content, INLINE, len(rules) + 1):
            consider(element, declaration)
    hidden = {
        element
        for element, held in winning.items()
        if any(name in held and held[name].value in HIDING[name] for name in DECIDING)
    }
    return [element for element in tree.iter() if element in hidden]

"""Which elements of a page its own style sheets hide, and which they set in boxes of their own, as a
browser's cascade decides it.

A page's <style> may hide text a reader never sees (`.hidden { display: none }` on an old notice, a
dismissed banner): indexed, it answers questions with words the page does not show. It may also set two
spans side by side apart (a card's label and value in a flex row), which read as one word without it. The
rules are parsed with tinycss2 (CSS Syntax Level 3; BSD) and their selectors matched with cssselect (lxml's
own CSS-to-XPath translator; BSD). For each element, the declaration of `display` and of `visibility` that
wins the cascade (importance, then the inline style, then specificity, then order) decides.

Read: the page's <style> elements for the screen (not `media="print"`, not inside a <template>) and its
inline `style` attributes; rules at the top level of a sheet (what a screen shows whatever its width: rules
inside `@media` and other at-rules are left). A selector that cssselect or lxml cannot match (a namespace,
an unknown pseudo-class) is left, as a browser drops a rule it cannot read. Hidden or not, these are read:
what a control on the page opens (an element whose id a button's `aria-controls`, `data-target`,
`data-bs-target` or a link's `#id` names: a collapsed FAQ answer, a tab's pane), as a <details> box is; and an
element holding nearly all the page's text (`MOST_OF_THE_TEXT`: a page hidden until its scripts run, `body {
display: none }`, `[v-cloak]`). Not read: linked style sheets (another file, which the index does not read
with this one) and `visibility: visible` set again on a hidden element's child (its text is dropped with its
parent).
"""

from __future__ import annotations

from dataclasses import dataclass

import cssselect
import tinycss2
from lxml import etree, html

DECIDING = ("display", "visibility")  # the properties that hide an element
HIDING = {"display": {"none"}, "visibility": {"hidden", "collapse"}}
INLINE = (1, 0, 0, 0)  # an inline style outranks every selector (CSS Cascade 4, 6.2)
SCREEN = {"", "all", "screen"}  # a <style>'s `media` that a screen applies (a query list naming one counts)
MOST_OF_THE_TEXT = 0.9  # an element holding more of the page's text than this share is read though hidden
TRANSLATOR = cssselect.HTMLTranslator()
# The displays that set an element in a box of its own, apart from its neighbours (not an inline block: a drop
# capital or a letter a script sets in one reads with its word)
BOXED = {"block", "flex", "grid", "table", "table-row", "table-cell", "table-caption", "list-item", "flow-root"}
CONTAINERS = {"flex", "inline-flex", "grid", "inline-grid"}  # whose children are each a box
DISPLAY_RULES_AT_MOST = 100  # selectors setting a display that hides nothing, past which only hiding is read
# The attributes by which a control names the element it opens or shows
OPENED_BY = "//@aria-controls | //@data-target | //@data-bs-target | //a/@href[starts-with(., '#')]"


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

    @property
    def hides(self) -> bool:
        return self.value in HIDING[self.name]


def _declarations(content: list, specificity: tuple[int, ...], order: int) -> list[Declaration]:
    """The deciding declarations of a rule's block (or an inline style), lower-cased."""
    found = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration" and item.lower_name in DECIDING:
            value = tinycss2.serialize(item.value).strip().lower()
            found.append(Declaration(item.lower_name, value, item.important, specificity, order))
    return found


def _for_screen(style: html.HtmlElement) -> bool:
    media = {query.strip().lower() for query in (style.get("media") or "").split(",")}
    return bool(media & SCREEN)


def _rules(tree: html.HtmlElement) -> list[tuple[str, list[Declaration]]]:
    """Each selector of the page's screen <style> rules that sets a deciding property, as XPath, with its
    declarations."""
    rules: list[tuple[str, list[Declaration]]] = []
    order = 0
    for style in tree.xpath("//style[not(ancestor::template)]"):
        if not _for_screen(style):
            continue
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


def _matches(tree: html.HtmlElement, xpath: str) -> list[html.HtmlElement]:
    try:
        return tree.xpath(xpath)
    except etree.XPathError:
        return []  # a namespace prefix ("svg|a") the page's HTML does not declare to lxml


Cascade = dict[html.HtmlElement, dict[str, Declaration]]  # each styled element's winning deciding declarations


def cascade(tree: html.HtmlElement) -> Cascade:
    """The winning `display` and `visibility` declaration of each element a screen <style> rule or an inline
    style sets one of (an inline `display: block` shows what a rule hid). A page of its own few rules
    (DISPLAY_RULES_AT_MOST that hide nothing: notes, a pandoc or office export) is read whole; of more (a
    framework's sheet inlined by a page saver), the rules that hide, and those that show again only where one
    hid: each rule is a search of the whole page. Raises nothing: CSS it cannot read is left, as a browser does."""
    winning: Cascade = {}

    def consider(element: html.HtmlElement, declaration: Declaration) -> None:
        held = winning.setdefault(element, {})
        if declaration.name not in held or declaration.rank >= held[declaration.name].rank:
            held[declaration.name] = declaration

    for element in tree.xpath("//*[@style]"):
        content = tinycss2.parse_component_value_list(element.get("style"))
        for declaration in _declarations(content, INLINE, 0):
            consider(element, declaration)
    rules = _rules(tree)
    showing = [(xpath, declarations) for xpath, declarations in rules if not any(d.hides for d in declarations)]
    hiding = [(xpath, declarations) for xpath, declarations in rules if any(d.hides for d in declarations)]
    for xpath, declarations in hiding:
        for element in _matches(tree, xpath):
            for declaration in declarations:
                consider(element, declaration)
    whole = len(showing) <= DISPLAY_RULES_AT_MOST
    hid = set(winning) if any(d.hides for held in winning.values() for d in held.values()) else set()
    for xpath, declarations in showing if whole or hid else []:
        for element in _matches(tree, xpath):
            if whole or element in hid:
                for declaration in declarations:
                    consider(element, declaration)
    return winning


def hidden_by_style(tree: html.HtmlElement, styles: Cascade) -> list[html.HtmlElement]:
    """The elements whose winning `display` is "none" or whose winning `visibility` is "hidden" or "collapse"
    (`styles`: the page's `cascade`), in document order; less what a control on the page opens and an element
    holding nearly all its text (see the module's docstring)."""
    hidden = {element for element, held in styles.items() if any(d.hides for d in held.values())}
    if not hidden:
        return []
    opened = {name.lstrip("#") for value in tree.xpath(OPENED_BY) for name in str(value).split()}
    body = tree.find("body")
    whole = len((body if body is not None else tree).text_content())
    hidden = {
        element
        for element in hidden
        if element.get("id") not in opened and len(element.text_content()) <= MOST_OF_THE_TEXT * whole
    }
    return [element for element in tree.iter() if element in hidden]


def boxed(element: html.HtmlElement, styles: Cascade) -> bool:
    """Whether the page's style sets the element in a box of its own (`styles`: its `cascade`): a block-level
    `display` (`BOXED`: a block, a flex or grid container, a table's cell, a list item), or a flex or grid
    container's child. A box's text never runs into its neighbour's, as "Phone01632" did where a card's label and
    value are two spans of a flex row. An inline block is not one: letters set one to a span by a script, a drop
    capital, an address's "@" read as a browser shows them, whole."""
    parent = element.getparent()
    return _display(element, styles) in BOXED or (parent is not None and _display(parent, styles) in CONTAINERS)


def _display(element: html.HtmlElement, styles: Cascade) -> str:
    """The element's winning `display` keyword ("" where none is set, or an empty one: `display: !important`)."""
    declaration = styles.get(element, {}).get("display")
    return (declaration.value.split() or [""])[0] if declaration is not None else ""

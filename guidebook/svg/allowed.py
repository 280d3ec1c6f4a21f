"""What an SVG drawing in a book may contain: the allow-lists the sanitiser (`clean.py`) keeps.

Everything that draws is kept: shapes, text, groups, gradients, patterns, clip paths, masks,
markers, filters, `<use>`/`<symbol>` and embedded PNG/JPEG/GIF pictures. Nothing that runs,
moves or fetches is: scripts, event handlers, animation (`<set>` can rewrite a link into
`javascript:`), `<foreignObject>` (HTML inside the drawing), fonts and colour profiles (they name
other files), cursors. Lists rather than deny-lists, so an element or attribute nobody thought of
is removed, not trusted.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = words(
    """
    svg g defs symbol use switch title desc style a
    path rect circle ellipse line polyline polygon text tspan textPath image
    linearGradient radialGradient stop pattern clipPath mask marker filter
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
    feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence
    """
)

# Elements whose `href` is followed: only to `#id` in the same file (and, for <image>, to an
# embedded PNG, JPEG or GIF). <a> is not here: it becomes a group (see clean.py).
HREF_ELEMENTS = words("use image pattern linearGradient radialGradient textPath feImage filter")

# Presentation attributes (their values are CSS and are checked as CSS), then the rest (`style`
# is cleaned declaration by declaration).
PRESENTATION = words(
    """
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering direction display dominant-baseline
    enable-background fill fill-opacity fill-rule filter flood-color flood-opacity font
    font-family font-size
    font-size-adjust font-stretch font-style font-variant font-weight glyph-orientation-horizontal
    glyph-orientation-vertical image-rendering letter-spacing lighting-color marker marker-end
    marker-mid marker-start mask mask-type opacity overflow paint-order pointer-events
    shape-rendering stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor
    text-decoration text-rendering transform transform-origin unicode-bidi vector-effect
    visibility white-space word-spacing writing-mode
    """
)
ATTRIBUTES = PRESENTATION | words(
    """
    style id class lang role aria-label aria-hidden version baseProfile
    x y width height rx ry cx cy r fx fy fr x1 y1 x2 y2 d points pathLength viewBox
    preserveAspectRatio dx dy rotate textLength lengthAdjust startOffset method spacing side
    gradientUnits gradientTransform spreadMethod offset patternUnits patternContentUnits
    patternTransform clipPathUnits maskUnits maskContentUnits markerUnits markerWidth
    markerHeight refX refY orient filterUnits primitiveUnits in in2 result stdDeviation mode
    type values operator k1 k2 k3 k4 scale xChannelSelector yChannelSelector baseFrequency
    numOctaves seed stitchTiles radius kernelMatrix kernelUnitLength order divisor bias
    targetX targetY edgeMode preserveAlpha surfaceScale specularConstant specularExponent
    diffuseConstant azimuth elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle
    tableValues slope intercept amplitude exponent z media systemLanguage requiredFeatures
    """
)
XML_ATTRIBUTES = frozenset({"space", "lang"})  # xml:space, xml:lang

# Drawing programs keep their own data in these namespaces (layers, guides, the editable
# original); it never draws, so it is removed without a word.
EDITOR_NAMESPACES = (
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/",
    "http://inkscape.sourceforge.net/",
    "http://ns.adobe.com/",
    "http://www.bohemiancoding.com/sketch/",
    "http://www.serif.com/",
    "http://www.figma.com/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
)
SILENT_ELEMENTS = frozenset({"metadata"})  # RDF licence data, editor state
# What a link carries besides its address; the link itself becomes a group.
LINK_ATTRIBUTES = frozenset({"target", "rel", "download", "hreflang", "type", "ping"})

# CSS functions a drawing's styles may use; anything else (image-set(), image(), element(),
# attr(), var(), env(), src()...) could fetch or inject and is removed. url() is allowed only
# as url(#id), a reference inside the same file.
CSS_FUNCTIONS = words(
    """
    url rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix calc min max clamp
    matrix translate translatex translatey scale scalex scaley rotate skew skewx skewy
    blur brightness contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia
    cubic-bezier steps rect inset circle ellipse polygon
    """
)
# Functional pseudo-classes in selectors; they match, never load.
SELECTOR_FUNCTIONS = words(
    "not is where has lang nth-child nth-last-child nth-of-type nth-last-of-type"
)
# At-rules kept (their rules are checked in turn); @import, @font-face and the rest are removed.
AT_RULES = frozenset({"media"})

"""Attribution: which CSP area(s), financial year(s) and kind of document a document and
each of its sections are about, and the phrase that says so.

`gazetteer` and `places` know the areas, `periods` the financial years, `doctypes` the
kinds of document; `attribute` decides, for a document and for each passage.  The
structure stage below uses `periods` and `doctypes` to recognise where a bundled
document starts, which is why attribution sits under it.
"""

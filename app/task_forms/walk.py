"""Every component of a form, those inside lists and groups included (depth first)."""


def every_component(components):
    for c in components or ():
        if isinstance(c, dict):
            yield c
            yield from every_component(c.get('components'))

"""Pure Chinese text analysis for customer feedback (no Django imports).

Entry points: ``pipeline.analyse`` for everything at once, ``sentiment.score``,
``keywords``, ``aspects``, ``topics`` for one concern each.
"""

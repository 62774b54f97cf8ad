"""The three prisms: survey engine (pure domain, numpy / polars in, typed results out).

``questionnaire`` (PHARE-like model as data), ``responses`` (mapping and validation),
``raking`` (IPF, poststratification), ``design`` (weights, strata, clusters), ``estimation`` and
``linearization`` (proportions and means with Taylor SEs, as R ``survey``), ``difference``,
``secrecy`` (statistical secrecy), ``synthetic`` (données synthétiques), ``crossread``.
"""

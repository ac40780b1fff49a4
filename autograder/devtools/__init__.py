"""The tools behind the make targets, for the people who build and check the course.

``make notebooks`` (:mod:`.release`), ``make figures`` (:mod:`.figures`), ``make demo``
(:mod:`.demo`), ``make exercises`` (:mod:`.answers`), ``make attacks`` (:mod:`.attacks`),
``make bench`` (:mod:`.bench`, :mod:`.bench_browser`, :mod:`.bench_grading`) and ``make lock``
(:mod:`.lock`); with what they share: course folders (:mod:`.course`), generated submissions
(:mod:`.submissions`, :mod:`.scenarios`), a live kernel (:mod:`.kernel`), JupyterLab in Chromium
(:mod:`.browser`) and the leak search (:mod:`.leaks`). Nothing here is needed to learn or to grade.
"""

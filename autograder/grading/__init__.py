"""The grading engine, which never runs inside a student's kernel and never trusts what one says.

``course-grade`` (:mod:`.grade`) grades a class in parallel with nbgrader's own autograder
(:mod:`.batch`); the course's nbgrader steps are in :mod:`.preprocessors` and :mod:`.pipelines`;
the reference solution's records (:mod:`.reference`) and the judge (:mod:`.judge`) decide each test
cell; collected files are read without following links (:mod:`.safecollect`,
:mod:`.submission_files`); scores come out as a gradebook table, a CSV and a Canvas export.
"""

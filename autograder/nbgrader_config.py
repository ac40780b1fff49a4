"""The course's nbgrader settings, shared by the repo's own course and every generated one."""

from autograder.grading import pipelines

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "d2l-math"
# Student notebooks are released into notebooks/, which is committed so Binder can open them.
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store", "*.egg-info",
]

# What a learner sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A submission is regular files and folders only: links, hard links, pipes and devices in it are
# refused — left out when collected, moved to quarantine/ before nbgrader copies a submission to
# grade it or to make its feedback (nbgrader's own copies follow links;
# autograder/grading/submission_files.py).
c.ExchangeFactory.collect = "autograder.grading.safecollect.SafeCollect"
c.BaseConverter.pre_convert_hook = "autograder.grading.submission_files.pre_convert_hook"

# Autograding: a cell that runs longer than this is stopped and its grade cells score 0.
c.Execute.timeout = 60

# Sanitizing: nbgrader's steps, with RestoreTestCells first, so that malformed nbgrader metadata
# never reaches them and test cells whose metadata a student edited are found and overwritten like
# the others; test cells a student deleted are added back (nbgrader's own option).
c.Autograde.sanitize_preprocessors = pipelines.sanitize()
c.OverwriteCells.add_missing_cells = True

# Autograding runs each submission in a sandbox and lets a judge outside the student's kernel
# decide the test cells (autograder/grading/preprocessors/judgedexecute.py): nbgrader's own pipeline,
# with JudgedExecute in the place of nbgrader's Execute.
c.Autograde.autograde_preprocessors = pipelines.autograde()

# Feedback: nbgrader as shipped shows hidden tests in the feedback it returns (nbgrader #917).
# Order matters: HideHiddenTests must see the cells before they are rendered to HTML.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.grading.preprocessors.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# nbconvert's own pages in about 0.4 of its time (autograder/grading/feedback_page.py).
c.GenerateFeedback.exporter_class = "autograder.grading.feedback_page.FeedbackExporter"

# Every HTML page nbgrader renders — formgrader's view of a submission and each student's feedback —
# shows formulas as MathML, drawn by the browser itself: nbgrader's templates load MathJax from a
# CDN, and without the internet (or for a feedback file opened from disk) LaTeX stayed raw text.
c.HTMLExporter.preprocessors = ["autograder.grading.preprocessors.MathToMathML"]

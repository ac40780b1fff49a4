"""What a student's kernel imports: the check helpers, hints, solutions, progress and the explorers.

This is the student's side of the trust boundary. It runs beside the student's own code, so it
decides nothing a grade rests on: the checks report values, and the judge
(:mod:`autograder.grading.judge`) compares them with the reference outside the kernel. It imports
nothing from grading/, sandbox/ or devtools/, nor nbgrader, nbclient or jupyter_client, and is all a
student's environment needs of this package (tests/learner/test_boundary.py).
"""

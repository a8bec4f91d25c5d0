"""The student's kernel: the sandbox it runs in, and the two sides of the conversation through which the
grader calls the student's functions from outside it."""

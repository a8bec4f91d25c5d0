"""What the grades become: each student's feedback page, the class report, and the export to an LMS."""

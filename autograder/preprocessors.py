"""nbgrader preprocessors the course adds to nbgrader's own pipeline (see nbgrader_config.py)."""
from nbgrader.preprocessors import NbGraderPreprocessor


class DropEmptyGradingMetadata(NbGraderPreprocessor):
    """Remove the empty `nbgrader` metadata that DeduplicateIds leaves on a duplicated graded cell.

    nbgrader 0.9 keeps the last copy of a duplicated cell and empties the metadata of the others;
    OverwriteCells then fails on the empty metadata when add_missing_cells is on, and the whole
    submission goes ungraded. Without the empty metadata, the extra copies are ordinary cells.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.metadata.get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources

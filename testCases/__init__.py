"""Test inputs, expected values and checks for the deep network assignments (step by step, then the application).

In the notebook, run `check("linear_forward", linear_forward)` after writing `linear_forward`:
it prints one line per output and names the typical mistake when it recognises one.
"""
from .cases import (L_layer_model_test_case, L_model_backward_test_case, L_model_forward_test_case_2hidden,
                    compute_cost_test_case, initialize_parameters_deep_test_case, initialize_parameters_test_case,
                    linear_activation_backward_test_case, linear_activation_forward_test_case,
                    linear_backward_test_case, linear_forward_test_case, predict_test_case,
                    two_layer_model_test_case, update_parameters_test_case)
from .checks import SPECS, Call, CheckFailed, check, run_calls
from .compare import mismatch

__all__ = ["L_model_backward_test_case", "L_model_forward_test_case_2hidden", "compute_cost_test_case",
           "initialize_parameters_deep_test_case", "initialize_parameters_test_case",
           "linear_activation_backward_test_case", "linear_activation_forward_test_case", "linear_backward_test_case",
           "linear_forward_test_case", "update_parameters_test_case", "two_layer_model_test_case",
           "L_layer_model_test_case", "predict_test_case", "SPECS", "Call", "CheckFailed", "check",
           "run_calls", "mismatch"]
